import { useMutation } from '../query/hooks';

/** The admin mappings other than SKUs (GET/PUT /admin/mappings/{type}, DELETE /admin/mappings/{type}/{wc_key}). */
export type MappingType = 'order_status' | 'payment_method' | 'tax_rate' | 'shipping_method' | 'shipment_status';

export interface Mapping {
	wc_key: string;
	erp_value: string;
	updated_at: number;
	updated_by: string | null;
}

export interface MappingChange {
	id: number;
	/** `sku` for SKU map changes, else a MappingType. */
	type: string;
	wc_key: string;
	old: string | null;
	new: string | null;
	user: string | null;
	at: number;
}

export const MAPPINGS_PATH = '/syncline/v1/admin/mappings';

export function useSaveMapping( type: MappingType ) {
	return useMutation< { wc_key: string; erp_value: string }, unknown >( ( data ) => ( { path: `${ MAPPINGS_PATH }/${ type }`, method: 'PUT', data } ) );
}

export function useDeleteMapping( type: MappingType ) {
	return useMutation< string, unknown >( ( key ) => ( { path: `${ MAPPINGS_PATH }/${ type }/${ encodeURIComponent( key ) }`, method: 'DELETE' } ) );
}

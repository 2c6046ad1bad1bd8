import { useMutation, useQuery } from '../query/hooks';

export interface SkuMapping {
	wc_sku: string;
	erp_ref: string;
	updated_at: number | null;
	updated_by: string | null;
}

export interface SkuChange {
	wc_sku: string;
	old_erp_ref: string | null;
	new_erp_ref: string | null;
	user: string | null;
	at: number;
}

export const SKU_PATH = '/syncline/v1/admin/mappings/sku';

/** Uses the core route PUT /syncline/v1/admin/mappings/sku. */
export function useSaveSku() {
	return useMutation< { wc_sku: string; erp_ref: string }, unknown >( ( data ) => ( { path: SKU_PATH, method: 'PUT', data } ) );
}

export interface ImportResult {
	saved: number;
	errors: Array< { line: number; message: string } >;
}

export function useImportSku() {
	return useMutation< string, ImportResult >( ( csv ) => ( {
		path: `${ SKU_PATH }/import`,
		method: 'POST',
		data: { csv },
	} ) );
}

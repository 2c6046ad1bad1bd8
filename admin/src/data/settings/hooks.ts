import { useMutation, useQuery } from '../query/hooks';

export interface Settings {
	erp_type: string;
	erp_url: string;
	warehouse_id: number | null;
	/** The key itself is never sent back; only whether one is stored. */
	erp_api_key_set: boolean;
}

export interface SettingsInput {
	erp_type: string;
	erp_url: string;
	warehouse_id: number | string;
	erp_api_key?: string;
}

export const SETTINGS_PATH = '/syncline/v1/admin/settings';

export function useSettings() {
	return useQuery< Settings >( SETTINGS_PATH );
}

export function useSaveSettings() {
	return useMutation< SettingsInput, Settings >( ( data ) => ( { path: SETTINGS_PATH, method: 'POST', data } ) );
}

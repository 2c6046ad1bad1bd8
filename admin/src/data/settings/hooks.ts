import { useMutation, useQuery } from '../query/hooks';
import type { AtsRules } from './ats';

export interface Settings {
	erp_type: string;
	erp_url: string;
	/** Odoo only: the database name ('' for Dolibarr). */
	erp_database: string;
	/** Odoo only: the login of the user the API key belongs to ('' for Dolibarr). */
	erp_login: string;
	warehouse_id: number | null;
	/** The key itself is never sent back; only whether one is stored. */
	erp_api_key_set: boolean;
	/** Prefix of the order reference (ref_client) in the ERP. */
	ref_prefix: string;
	/** Whether deleting the plugin drops every Syncline table and option. */
	delete_data_on_uninstall: boolean;
	/** When the ERP invoice is made: once the payment is captured, or once the order is completed. */
	invoice_at: InvoiceAt;
	/** Minutes between two full stock pulls (WP-Cron). */
	stock_pull_minutes: number;
	/** Hours between two reconciliation runs (WP-Cron). */
	reconcile_hours: number;
	/** Minutes between two full master data syncs (WP-Cron). */
	products_sync_minutes: number;
	/** The channel WooCommerce sells as. */
	ats_channel: string;
	/** Available-to-sell rules; null until saved (the sidecar then sells its order warehouse). */
	ats_rules: AtsRules | null;
	/** The product fields the ERP owns. */
	products_owned_fields: string[];
	/** Whether products the store lacks are created as drafts. */
	products_create_missing: boolean;
}

export type InvoiceAt = 'capture' | 'completion';

/** The answer to a save: the settings, plus what the save did to some fields (e.g. the key cleared). */
export interface SavedSettings extends Settings {
	notices: Record< string, string >;
}

export interface SettingsInput {
	erp_type: string;
	erp_url: string;
	erp_database: string;
	erp_login: string;
	warehouse_id: number | string;
	erp_api_key?: string;
	ref_prefix: string;
	delete_data_on_uninstall: boolean;
	invoice_at: InvoiceAt;
	stock_pull_minutes: number | string;
	reconcile_hours: number | string;
	products_sync_minutes: number | string;
	ats_channel: string;
	/** Sent once the rules were saved or edited (WordPress checks the values). */
	ats_rules?: unknown;
	products_owned_fields: string[];
	products_create_missing: boolean;
}

export const SETTINGS_PATH = '/syncline/v1/admin/settings';

export function useSettings() {
	return useQuery< Settings >( SETTINGS_PATH );
}

export function useSaveSettings() {
	return useMutation< SettingsInput, SavedSettings >( ( data ) => ( { path: SETTINGS_PATH, method: 'POST', data } ) );
}

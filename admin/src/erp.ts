import { __ } from '@wordpress/i18n';

/** The ERPs Settings offers, as the sidecar's `erp.type` names them. */
export const ERP_NAMES: Record< string, string > = { dolibarr: 'Dolibarr', odoo: 'Odoo' };

/** The ERP's name as people know it ("Odoo"), from a type or a heartbeat's `erp.type`. */
export function erpName( erp: string | null | undefined ): string {
	return ( erp && ERP_NAMES[ erp.toLowerCase() ] ) || erp || __( 'the ERP', 'syncline' );
}

import { __ } from '@wordpress/i18n';

/** The ERPs Settings offers, as the sidecar's `erp.type` names them. */
export const ERP_NAMES: Record< string, string > = { dolibarr: 'Dolibarr', odoo: 'Odoo' };

/** The ERP's name as people know it ("Odoo"), from a type or a heartbeat's `erp.type`. */
export function erpName( erp: string | null | undefined ): string {
	return ( erp && ERP_NAMES[ erp.toLowerCase() ] ) || erp || __( 'the ERP', 'syncline' );
}

/** The help texts that differ by ERP: the Settings URL and API key fields, the payment-method mapping. */
export interface ErpHelp {
	url: string;
	key: string;
	/** What a payment method maps to (the mapping section's description). */
	payment: string;
	/** The mapped value's label. */
	paymentValue: string;
}

export function erpHelp( type: string ): ErpHelp {
	if ( type === 'odoo' ) {
		return {
			url: __( 'The Odoo site root, for example https://odoo.example.com (Syncline calls its /jsonrpc).', 'syncline' ),
			key: __( 'An Odoo API key of the login below (Preferences → Account Security → New API Key), or its password.', 'syncline' ),
			payment: __( 'Payment gateway id → the code of an Odoo bank or cash journal the payments are registered in (e.g. BNK1 or CSH1; Accounting → Configuration → Journals).', 'syncline' ),
			paymentValue: __( 'Odoo journal code (bank or cash)', 'syncline' ),
		};
	}
	return {
		url: __( 'The base URL of the ERP API, for example https://erp.example.com/api/index.php', 'syncline' ),
		key: __( 'A Dolibarr user’s API key (Users → the user → API key), with the REST API module on.', 'syncline' ),
		payment: __( 'Payment gateway id → ERP payment mode code, optionally :bank account id (e.g. CHQ or VIR:3).', 'syncline' ),
		paymentValue: __( 'ERP payment mode[:bank account]', 'syncline' ),
	};
}

import { __ } from '@wordpress/i18n';

/** Reason codes of the exception queue in words; an unknown code reads as its words ("erp_foo_bar" → "erp foo bar"). */
function labels(): Record< string, string > {
	return {
		unmapped_sku: __( 'SKU not mapped to an ERP product', 'syncline' ),
		missing_sku: __( 'Product without a SKU', 'syncline' ),
		unmapped_shipping: __( 'Shipping method not mapped', 'syncline' ),
		unmapped_fee: __( 'Fee not mapped', 'syncline' ),
		unmapped_payment_method: __( 'Payment method not mapped', 'syncline' ),
		invalid_order: __( 'Order data the ERP cannot take', 'syncline' ),
		invalid_amount: __( 'Amounts do not add up', 'syncline' ),
		missing_email: __( 'Customer without an email', 'syncline' ),
		erp_rejected: __( 'Refused by the ERP', 'syncline' ),
		erp_refused_value: __( 'A value refused by the ERP', 'syncline' ),
		erp_auth: __( 'ERP key refused', 'syncline' ),
		erp_forbidden: __( 'ERP user lacks a permission', 'syncline' ),
		erp_unreachable: __( 'ERP unreachable', 'syncline' ),
		erp_timeout: __( 'ERP did not answer in time', 'syncline' ),
		erp_unavailable: __( 'ERP unavailable', 'syncline' ),
		erp_duplicate: __( 'Already in the ERP twice', 'syncline' ),
		erp_foreign_document: __( 'ERP document made outside Syncline', 'syncline' ),
		erp_order_vanished: __( 'Order deleted in the ERP', 'syncline' ),
		erp_customer_gone: __( 'Customer deleted in the ERP', 'syncline' ),
		erp_settings: __( 'ERP set up incompletely', 'syncline' ),
		erp_outcome_unknown: __( 'ERP outcome unknown', 'syncline' ),
		retries_exhausted: __( 'Retries used up', 'syncline' ),
	};
}

export function reasonLabel( code: string | null | undefined ): string {
	if ( ! code ) {
		return __( 'No reason given', 'syncline' );
	}
	return labels()[ code ] ?? code.replace( /_/g, ' ' );
}

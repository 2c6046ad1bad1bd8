import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { QueryError } from '../data/query/actions';

export function ErrorNotice( { error, onRetry }: { error: QueryError | null; onRetry?: () => void } ) {
	if ( ! error ) {
		return null;
	}
	const message =
		error.status === 403 || error.status === 401
			? __( 'You are not allowed to do this. Syncline needs the "manage WooCommerce" capability.', 'syncline' )
			: error.message;
	return (
		<Notice
			status="error"
			isDismissible={ false }
			actions={ onRetry ? [ { label: __( 'Try again', 'syncline' ), onClick: onRetry } ] : [] }
		>
			{ /* translators: 1: error message, 2: error code */ }
			{ sprintf( __( '%1$s (%2$s)', 'syncline' ), message, error.code ) }
		</Notice>
	);
}

import { Button } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';

export function Pagination( { page, totalPages, total, onChange }: { page: number; totalPages: number | null; total: number | null; onChange: ( page: number ) => void } ) {
	const pages = Math.max( 1, totalPages ?? 1 );
	return (
		<div className="tablenav syncline-pagination">
			<span className="displaying-num">
				{ /* translators: %d: number of items */ }
				{ sprintf( _n( '%d item', '%d items', total ?? 0, 'syncline' ), total ?? 0 ) }
			</span>
			<Button variant="secondary" disabled={ page <= 1 } onClick={ () => onChange( page - 1 ) }>
				{ __( 'Previous page', 'syncline' ) }
			</Button>
			<span className="syncline-page-of" aria-live="polite">
				{ /* translators: 1: current page, 2: total pages */ }
				{ sprintf( __( 'Page %1$d of %2$d', 'syncline' ), page, pages ) }
			</span>
			<Button variant="secondary" disabled={ page >= pages } onClick={ () => onChange( page + 1 ) }>
				{ __( 'Next page', 'syncline' ) }
			</Button>
		</div>
	);
}

/**
 * The DataViews part of DataList (components/DataList.tsx), in its own chunk: DataViews over one page of rows.
 * Rows of a paged route (total known from X-WP-Total) are shown as they come; a route that returns a whole small
 * list is paged, searched and filtered here with DataViews' own filterSortAndPaginate.
 */
import { DataViews, filterSortAndPaginate, type Action, type DataViewsProps, type Field, type View } from '@wordpress/dataviews';
import { useMemo } from '@wordpress/element';
import type { ReactNode } from 'react';

/** DataViews typed for items without a string `id` (its conditional props type does not narrow on a generic Item). */
type ItemProps = 'getItemId' | 'fields' | 'data' | 'actions' | 'onClickItem' | 'isItemClickable';
type ViewsProps< Item > = Omit< DataViewsProps< { id: string } >, ItemProps > & {
	getItemId: ( item: Item ) => string;
	fields: Field< Item >[];
	data: Item[];
	actions: Action< Item >[];
	onClickItem?: ( item: Item ) => void;
	isItemClickable?: ( item: Item ) => boolean;
};
const Views = DataViews as unknown as < Item >( p: ViewsProps< Item > ) => ReactNode;

const PER_PAGE_SIZES = [ 10, 20, 50, 100 ];

export interface ListViewProps {
	view: View;
	setView: ( view: View ) => void;
	reset: ( () => void ) | false;
	fields: Field< unknown >[];
	rows: unknown[];
	total: number | null;
	totalPages: number | null;
	isLoading: boolean;
	getItemId: ( item: unknown ) => string;
	actions: Action< unknown >[];
	search: boolean;
	searchLabel?: string;
	empty: ReactNode;
	onClickItem?: ( item: unknown ) => void;
}

export default function DataListView( p: ListViewProps ) {
	const shown = useMemo( () => {
		if ( p.total !== null ) {
			return { data: p.rows, paginationInfo: { totalItems: p.total, totalPages: p.totalPages ?? 1 } };
		}
		return filterSortAndPaginate( p.rows, p.view, p.fields );
	}, [ p.rows, p.total, p.totalPages, p.view, p.fields ] );
	return (
		<Views< unknown >
			view={ p.view }
			onChangeView={ p.setView }
			onReset={ p.reset }
			fields={ p.fields }
			data={ shown.data }
			paginationInfo={ shown.paginationInfo }
			isLoading={ p.isLoading }
			getItemId={ p.getItemId }
			actions={ p.actions }
			search={ p.search }
			searchLabel={ p.searchLabel }
			defaultLayouts={ { table: {} } }
			config={ { perPageSizes: PER_PAGE_SIZES } }
			empty={ p.empty }
			onClickItem={ p.onClickItem }
			isItemClickable={ () => !! p.onClickItem }
		/>
	);
}

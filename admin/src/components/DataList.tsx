/**
 * The one list of the screen (exceptions, SKU mappings, other mappings, events, reconciliation items): DataViews
 * over a Syncline REST route. The view (search, filters, sort, page, page size, columns) becomes the route's query
 * arguments, so paging, filtering and sorting happen in SQL; the route's X-WP-Total/X-WP-TotalPages headers size the
 * pagination; the view is saved per user (data/views.ts). DataViews itself (and the @wordpress/ui and base-ui code
 * it bundles) is a separate chunk, loaded when the first list is shown, so the Overview and Settings tabs do not
 * wait for it; its date controls are one more, loaded only when shown (components/date-controls).
 */
import type { Action, Field, View } from '@wordpress/dataviews';
import { Spinner } from '@wordpress/components';
import { lazy, Suspense, useEffect, useMemo } from '@wordpress/element';
import { addQueryArgs } from '@wordpress/url';
import type { ReactNode } from 'react';
import { useQuery } from '../data/query/hooks';
import { useSavedView } from '../data/views';
import { ErrorNotice } from './ErrorNotice';

/** How a view maps onto the route's query arguments. */
export interface RouteArgs {
	/** The route's search argument (omit when the route cannot search). */
	search?: string;
	/** Field id → query argument, for filters with the `is` operator (`isAny` sends a comma-separated list). */
	filters?: Record< string, string >;
	/**
	 * Field id → `orderby` value, for fields the route can sort by (with `order` asc|desc). With it, only these
	 * fields offer sorting; without it the route answers a whole small list and DataViews sorts it here.
	 */
	sort?: Record< string, string >;
	/** Always sent (e.g. the reconciliation run). */
	fixed?: Record< string, string | number >;
}

export function viewToArgs( view: View, route: RouteArgs ): Record< string, string | number > {
	const args: Record< string, string | number > = { ...( route.fixed ?? {} ), page: view.page ?? 1, per_page: view.perPage ?? 20 };
	if ( route.search && view.search ) {
		args[ route.search ] = view.search;
	}
	for ( const f of view.filters ?? [] ) {
		const param = route.filters?.[ f.field ];
		const value: unknown = f.value;
		if ( ! param || value === undefined || value === null || value === '' || ( Array.isArray( value ) && value.length === 0 ) ) {
			continue;
		}
		args[ param ] = Array.isArray( value ) ? value.join( ',' ) : String( value );
	}
	const orderby = view.sort ? route.sort?.[ view.sort.field ] : undefined;
	if ( view.sort && orderby ) {
		args.orderby = orderby;
		args.order = view.sort.direction;
	}
	return args;
}

export interface DataListProps< Item > {
	/** Key of the saved view (per user). */
	viewKey: string;
	/** REST path without query arguments; null to show nothing yet. */
	path: string | null;
	route: RouteArgs;
	fields: Field< Item >[];
	defaultView: View;
	getItemId: ( item: Item ) => string;
	actions?: Action< Item >[];
	searchLabel?: string;
	empty: ReactNode;
	/** Above the list, given the current view (e.g. "retry every row with this reason"). */
	header?: ( view: View ) => ReactNode;
	onClickItem?: ( item: Item ) => void;
	className?: string;
}

const loadListView = () => import( './DataListView' );
const ListView = lazy( loadListView );

export function DataList< Item >( props: DataListProps< Item > ) {
	// The chunk downloads while the saved view and the rows are fetched, not after.
	useEffect( () => {
		loadListView();
	}, [] );
	const { view, setView, reset } = useSavedView( props.viewKey, props.defaultView );
	const key = view && props.path ? addQueryArgs( props.path, viewToArgs( view, props.route ) ) : null;
	const q = useQuery< Item[] >( key );
	const sort = props.route.sort;
	const fields = useMemo( () => ( sort ? props.fields.map( ( f ) => ( sort[ f.id ] ? f : { ...f, enableSorting: false } ) ) : props.fields ), [ props.fields, sort ] );
	if ( ! view ) {
		return null;
	}
	return (
		<div className={ `syncline-list ${ props.className ?? '' }` } data-list={ props.viewKey }>
			<ErrorNotice error={ q.error } />
			{ props.header?.( view ) }
			<Suspense fallback={ <Spinner /> }>
				<ListView
					view={ view }
					setView={ setView }
					reset={ reset }
					fields={ fields as Field< unknown >[] }
					rows={ ( q.data ?? [] ) as unknown[] }
					total={ q.total }
					totalPages={ q.totalPages }
					isLoading={ q.isLoading && ! q.data }
					getItemId={ props.getItemId as ( item: unknown ) => string }
					actions={ ( props.actions ?? [] ) as Action< unknown >[] }
					search={ !! props.route.search || q.total === null }
					searchLabel={ props.searchLabel }
					empty={ props.empty }
					onClickItem={ props.onClickItem as ( ( item: unknown ) => void ) | undefined }
				/>
			</Suspense>
		</div>
	);
}

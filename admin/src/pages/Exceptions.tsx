import { Button, Notice, TextareaControl } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews';
import { useMemo, useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { EXCEPTIONS_PATH, useRetryByCode, useRowsAction, type ExceptionRow } from '../data/exceptions/hooks';
import { useOverview } from '../data/overview/hooks';
import { DataList, type RouteArgs } from '../components/DataList';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatDuration } from '../components/format';
import { reasonLabel } from '../components/reasons';
import { ExceptionDetails } from './ExceptionDetails';

const ROUTE: RouteArgs = {
	search: 'search',
	filters: { reason: 'code', age: 'min_age_hours' },
	// Field → the route's orderby (its default, no field: the row with the newest event first).
	sort: { object: 'object', reason: 'reason', events: 'events', attempts: 'attempts', age: 'age' },
};

const DEFAULT_VIEW: View = {
	type: 'table',
	page: 1,
	perPage: 20,
	search: '',
	filters: [],
	titleField: 'object',
	fields: [ 'reason', 'message', 'events', 'attempts', 'age' ],
	layout: {},
};

const rowId = ( r: ExceptionRow ) => r.group_key ?? String( r.id );

function DiscardModal( { items, closeModal, onDone }: { items: ExceptionRow[]; closeModal?: () => void; onDone: ( n: number ) => void } ) {
	const [ reason, setReason ] = useState( '' );
	const discard = useRowsAction( 'discard' );
	return (
		<div className="syncline-discard">
			<p>{ __( 'The orders will not be sent to the ERP. The reason is kept for audit.', 'syncline' ) }</p>
			<ErrorNotice error={ discard.error } />
			<TextareaControl label={ __( 'Why discard?', 'syncline' ) } value={ reason } onChange={ setReason } />
			<Button
				variant="primary"
				isDestructive
				disabled={ reason.trim() === '' || discard.isBusy }
				onClick={ async () => {
					const n = await discard.run( { rows: items, reason: reason.trim() } );
					if ( n !== null ) {
						onDone( n );
						closeModal?.();
					}
				} }
			>
				{ __( 'Discard', 'syncline' ) }
			</Button>
		</div>
	);
}

/** "Retry every row with this reason", across all pages, when the list is filtered by one reason. */
function RetryByReason( { view, onDone }: { view: View; onDone: ( n: number ) => void } ) {
	const bulk = useRetryByCode();
	const code = view.filters?.find( ( f ) => f.field === 'reason' )?.value as string | undefined;
	if ( ! code || typeof code !== 'string' ) {
		return null;
	}
	return (
		<div className="syncline-bulk">
			<ErrorNotice error={ bulk.error } />
			<Button
				variant="primary"
				disabled={ bulk.isBusy }
				onClick={ async () => {
					const r = await bulk.run( code );
					if ( r ) {
						onDone( r.retried );
					}
				} }
			>
				{ /* translators: %s: reason in words */ }
				{ sprintf( __( 'Retry every order stopped by: %s', 'syncline' ), reasonLabel( code ) ) }
			</Button>
		</div>
	);
}

function useFields( onTrace: ( orderId: number ) => void ): Field< ExceptionRow >[] {
	const overview = useOverview();
	const codes = overview.data?.exceptions_by_code;
	return useMemo(
		() => [
			{
				id: 'object',
				label: __( 'Order', 'syncline' ),
				enableHiding: false,
				getValue: ( { item } ) => item.object_id,
				render: ( { item } ) =>
					item.object_type === 'order' ? (
						<Button variant="link" onClick={ () => onTrace( item.object_id ) }>{ `#${ item.object_id }` }</Button>
					) : (
						<span className="syncline-object">{ `${ item.object_type } ${ item.object_id }` }</span>
					),
			},
			{
				id: 'reason',
				label: __( 'Reason', 'syncline' ),
				getValue: ( { item } ) => item.last_error_code ?? '',
				render: ( { item } ) => <span className="syncline-reason" title={ item.last_error_code ?? '' }>{ reasonLabel( item.last_error_code ) }</span>,
				elements: ( codes ?? [] ).map( ( c ) => ( { value: c.code, label: `${ reasonLabel( c.code ) } (${ c.count })` } ) ),
				filterBy: { operators: [ 'is' ], isPrimary: true },
			},
			{
				id: 'message',
				label: __( 'Message', 'syncline' ),
				enableSorting: false,
				getValue: ( { item } ) => item.last_error_message ?? '',
			},
			{
				id: 'events',
				label: __( 'Events', 'syncline' ),
				type: 'integer',
				getValue: ( { item } ) => item.event_count ?? 1,
			},
			{
				id: 'attempts',
				label: __( 'Attempts', 'syncline' ),
				type: 'integer',
				getValue: ( { item } ) => item.attempts,
			},
			{
				id: 'age',
				label: __( 'Age', 'syncline' ),
				getValue: ( { item } ) => item.age_seconds,
				render: ( { item } ) => <span>{ formatDuration( item.age_seconds ) }</span>,
				elements: [
					{ value: '1', label: __( 'Older than 1 hour', 'syncline' ) },
					{ value: '24', label: __( 'Older than 24 hours', 'syncline' ) },
					{ value: '168', label: __( 'Older than 7 days', 'syncline' ) },
				],
				filterBy: { operators: [ 'is' ] },
			},
		],
		[ codes, onTrace ]
	);
}

export function Exceptions( { onTrace }: { onTrace: ( orderId: number ) => void } ) {
	const [ open, setOpen ] = useState< ExceptionRow | null >( null );
	const [ done, setDone ] = useState< string | null >( null );
	const retry = useRowsAction( 'retry' );
	const fields = useFields( onTrace );
	/* translators: %d: number of events */
	const retried = ( n: number ) => setDone( sprintf( _n( '%d event put back in the queue.', '%d events put back in the queue.', n, 'syncline' ), n ) );
	const actions: Action< ExceptionRow >[] = [
		{
			id: 'details',
			label: __( 'Details', 'syncline' ),
			isPrimary: true,
			callback: ( items ) => setOpen( items[ 0 ] ?? null ),
		},
		{
			id: 'retry',
			label: __( 'Retry', 'syncline' ),
			isPrimary: true,
			supportsBulk: true,
			callback: async ( items ) => {
				const n = await retry.run( { rows: items } );
				if ( n !== null ) {
					retried( n );
				}
			},
		},
		{
			id: 'discard',
			label: __( 'Discard', 'syncline' ),
			supportsBulk: true,
			modalHeader: __( 'Discard', 'syncline' ),
			RenderModal: ( { items, closeModal } ) => (
				<DiscardModal
					items={ items }
					closeModal={ closeModal }
					/* translators: %d: number of events */
					onDone={ ( n ) => setDone( sprintf( _n( '%d event discarded.', '%d events discarded.', n, 'syncline' ), n ) ) }
				/>
			),
		},
	];
	return (
		<div className="syncline-exceptions">
			{ done && <Notice status="success" onRemove={ () => setDone( null ) }>{ done }</Notice> }
			<ErrorNotice error={ retry.error } />
			<DataList< ExceptionRow >
				viewKey="exceptions"
				path={ EXCEPTIONS_PATH }
				route={ ROUTE }
				fields={ fields }
				defaultView={ DEFAULT_VIEW }
				getItemId={ rowId }
				actions={ actions }
				searchLabel={ __( 'Search by order number, SKU or correlation id', 'syncline' ) }
				empty={ <p>{ __( 'No exceptions. Every order reached the ERP or is on its way.', 'syncline' ) }</p> }
				header={ ( view ) => <RetryByReason view={ view } onDone={ retried } /> }
			/>
			{ open && <ExceptionDetails id={ open.id } row={ open } onClose={ () => setOpen( null ) } onTrace={ onTrace } /> }
		</div>
	);
}

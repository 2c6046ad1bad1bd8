import { Button, Card, CardBody, CardHeader, ExternalLink, Spinner, TextControl } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews';
import { useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { EVENTS_PATH, useOrderTrace, type ErpDocument, type EventRow } from '../data/trace/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../components/format';
import { DataList } from '../components/DataList';
import { reasonLabel } from '../components/reasons';

function Documents( { docs }: { docs: ErpDocument[] } ) {
	if ( docs.length === 0 ) {
		return <span>—</span>;
	}
	return (
		<ul className="syncline-docs">
			{ docs.map( ( d ) => (
				<li key={ `${ d.type }-${ d.id }` }>
					{ d.type }:{ ' ' }
					{ d.url ? <ExternalLink href={ d.url }>{ d.ref ?? d.id }</ExternalLink> : <code>{ d.ref ?? d.id }</code> }
				</li>
			) ) }
		</ul>
	);
}

const STATES = [ 'pending', 'leased', 'done', 'needs_human', 'discarded' ];

const EVENTS_VIEW: View = { type: 'table', page: 1, perPage: 20, filters: [], titleField: 'order', fields: [ 'topic', 'state', 'attempts', 'updated' ], layout: {} };

function eventFields(): Field< EventRow >[] {
	return [
		{ id: 'id', label: __( 'Event', 'syncline' ), getValue: ( { item } ) => item.id, render: ( { item } ) => <span>#{ item.id }</span> },
		{
			id: 'order',
			label: __( 'Order', 'syncline' ),
			enableHiding: false,
			enableSorting: false,
			getValue: ( { item } ) => item.object_id,
			render: ( { item } ) => <span>{ item.object_type === 'order' ? `#${ item.object_id }` : `${ item.object_type } ${ item.object_id }` }</span>,
		},
		{ id: 'topic', label: __( 'Topic', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.topic },
		{
			id: 'state',
			label: __( 'State', 'syncline' ),
			enableSorting: false,
			getValue: ( { item } ) => item.state,
			render: ( { item } ) => <span title={ item.last_error_code ?? '' }>{ item.last_error_code ? `${ item.state } · ${ reasonLabel( item.last_error_code ) }` : item.state }</span>,
			elements: STATES.map( ( st ) => ( { value: st, label: st.replace( /_/g, ' ' ) } ) ),
			filterBy: { operators: [ 'is' ], isPrimary: true },
		},
		{ id: 'attempts', label: __( 'Attempts', 'syncline' ), type: 'integer', enableSorting: false, getValue: ( { item } ) => item.attempts },
		{ id: 'updated', label: __( 'Last change', 'syncline' ), getValue: ( { item } ) => item.updated_at, render: ( { item } ) => <span>{ formatTime( item.updated_at ) }</span> },
	];
}

/** The newest outbox events, so the tab says which orders exist; a row opens its order's trace. */
function RecentEvents( { onOrderId }: { onOrderId: ( id: number ) => void } ) {
	const fields = useMemo( eventFields, [] );
	const actions: Action< EventRow >[] = [
		{
			id: 'trace',
			label: __( 'Show trace', 'syncline' ),
			isPrimary: true,
			isEligible: ( e ) => e.object_type === 'order',
			callback: ( items ) => items[ 0 ] && onOrderId( items[ 0 ].object_id ),
		},
	];
	return (
		<Card className="syncline-card syncline-recent-events">
			<CardHeader>
				<h2>{ __( 'Recent events', 'syncline' ) }</h2>
			</CardHeader>
			<CardBody>
				<DataList< EventRow >
					viewKey="events"
					path={ EVENTS_PATH }
					route={ { filters: { state: 'state' }, sort: { id: 'id', updated: 'updated' } } }
					fields={ fields }
					defaultView={ EVENTS_VIEW }
					getItemId={ ( e ) => String( e.id ) }
					actions={ actions }
					empty={ <p>{ __( 'No events yet: orders appear here when WooCommerce records them.', 'syncline' ) }</p> }
				/>
			</CardBody>
		</Card>
	);
}

export function OrderTrace( { orderId, onOrderId }: { orderId: number | null; onOrderId: ( id: number | null ) => void } ) {
	const [ input, setInput ] = useState( orderId ? String( orderId ) : '' );
	const { data, error, isLoading } = useOrderTrace( orderId );
	return (
		<div className="syncline-trace">
			<form
				className="syncline-filters"
				onSubmit={ ( e ) => {
					e.preventDefault();
					const n = parseInt( input, 10 );
					onOrderId( Number.isFinite( n ) && n > 0 ? n : null );
				} }
			>
				<TextControl label={ __( 'Order id', 'syncline' ) } type="number" min={ 1 } value={ input } onChange={ setInput } />
				<Button variant="primary" type="submit">
					{ __( 'Show trace', 'syncline' ) }
				</Button>
			</form>
			<ErrorNotice error={ error } />
			{ orderId && isLoading && ! data && <Spinner /> }
			{ data && data.order_id === orderId && (
				<Card className="syncline-card">
					<CardHeader>
						{ /* translators: %d: order id */ }
						<h2>{ sprintf( __( 'Trace of order #%d', 'syncline' ), data.order_id ) }</h2>
						{ data.order_edit_url && <a href={ data.order_edit_url }>{ __( 'Edit order', 'syncline' ) }</a> }
					</CardHeader>
					<CardBody>
						<p>
							{ __( 'Correlation id:', 'syncline' ) } <code>{ data.correlation_id ?? '—' }</code>
						</p>
						<h3>{ __( 'ERP documents', 'syncline' ) }</h3>
						<Documents docs={ data.erp_refs?.documents ?? [] } />
						<h3>{ __( 'Timeline', 'syncline' ) }</h3>
						{ data.events.length === 0 ? (
							<p>{ __( 'Syncline has no events for this order.', 'syncline' ) }</p>
						) : (
							<ol className="syncline-timeline">
								{ data.events.map( ( ev ) => (
									<li key={ ev.id } className={ `syncline-timeline-item syncline-state-${ ev.state }` }>
										<p>
											<strong>{ formatTime( ev.created_at ) }</strong> — { ev.topic } — <code>{ ev.state }</code>{ ' ' }
											{ /* translators: 1: event id, 2: attempts */ }
											{ sprintf( __( '(event #%1$d, %2$d attempts)', 'syncline' ), ev.id, ev.attempts ) }
										</p>
										{ ev.last_error_code && (
											<p>
												<code>{ ev.last_error_code }</code> { ev.last_error_message }
											</p>
										) }
										{ ev.outcome && <p className="syncline-outcome">{ ev.outcome }</p> }
										<Documents docs={ ev.documents } />
										{ ev.log.length > 0 && (
											<ul className="syncline-log">
												{ ev.log.map( ( l ) => (
													<li key={ l.id }>
														{ formatTime( l.at ) } · { l.kind } · { l.message } { l.actor ? `· ${ l.actor }` : '' }
													</li>
												) ) }
											</ul>
										) }
									</li>
								) ) }
							</ol>
						) }
					</CardBody>
				</Card>
			) }
			<RecentEvents onOrderId={ ( id ) => {
				setInput( String( id ) );
				onOrderId( id );
			} } />
		</div>
	);
}

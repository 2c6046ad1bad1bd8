import { Button, Card, CardBody, CardHeader, ExternalLink, Spinner, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { useOrderTrace, type ErpDocument } from '../data/trace/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../components/format';

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
		</div>
	);
}

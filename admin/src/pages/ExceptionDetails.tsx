import { Button, Card, CardBody, CardHeader, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEventDetails, type ExceptionRow } from '../data/exceptions/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney, formatTime } from '../components/format';
import { reasonLabel } from '../components/reasons';

function Json( { value }: { value: unknown } ) {
	if ( value === null || value === undefined || value === '' ) {
		return <em>{ __( 'none', 'syncline' ) }</em>;
	}
	return <pre className="syncline-json">{ typeof value === 'string' ? value : JSON.stringify( value, null, 2 ) }</pre>;
}

/** The details panel of one exception: payload summary, attempts, last error and the ERP's answer, log. */
/** The events behind one row of the grouped list (one order and reason), newest first. */
function RowEvents( { row }: { row: ExceptionRow } ) {
	const events = row.events ?? [];
	if ( events.length < 2 ) {
		return null;
	}
	return (
		<>
			<h3>{ __( 'Events behind this row', 'syncline' ) }</h3>
			<table className="wp-list-table widefat fixed striped syncline-row-events">
				<thead>
					<tr>
						<th scope="col">{ __( 'Event', 'syncline' ) }</th>
						<th scope="col">{ __( 'Topic', 'syncline' ) }</th>
						<th scope="col">{ __( 'Attempts', 'syncline' ) }</th>
						<th scope="col">{ __( 'Created', 'syncline' ) }</th>
						<th scope="col">{ __( 'Message', 'syncline' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ events.map( ( e ) => (
						<tr key={ e.id }>
							<td>#{ e.id }</td>
							<td>{ e.topic }</td>
							<td>{ e.attempts }</td>
							<td>{ formatTime( e.created_at ) }</td>
							<td>{ e.last_error_message ?? '—' }</td>
						</tr>
					) ) }
				</tbody>
			</table>
		</>
	);
}

export function ExceptionDetails( { id, row, onClose, onTrace }: { id: number; row?: ExceptionRow; onClose: () => void; onTrace: ( orderId: number ) => void } ) {
	const { data, error } = useEventDetails( id );
	return (
		<Card className="syncline-card syncline-details" role="region" aria-label={ __( 'Exception details', 'syncline' ) }>
			<CardHeader>
				{ /* translators: %d: event id */ }
				<h2>{ sprintf( __( 'Event #%d', 'syncline' ), id ) }</h2>
				<Button variant="tertiary" onClick={ onClose }>
					{ __( 'Close details', 'syncline' ) }
				</Button>
			</CardHeader>
			<CardBody>
				<ErrorNotice error={ error } />
				{ ! data ? (
					! error && <Spinner />
				) : (
					<>
						<dl className="syncline-dl">
							<dt>{ __( 'Order', 'syncline' ) }</dt>
							<dd>
								<Button variant="link" onClick={ () => onTrace( data.object_id ) }>
									{ /* translators: %d: order id */ }
									{ sprintf( __( 'Order #%d — open trace', 'syncline' ), data.object_id ) }
								</Button>
							</dd>
							<dt>{ __( 'Topic', 'syncline' ) }</dt>
							<dd>{ data.topic }</dd>
							<dt>{ __( 'Correlation id', 'syncline' ) }</dt>
							<dd><code>{ data.correlation_id }</code></dd>
							<dt>{ __( 'Attempts', 'syncline' ) }</dt>
							<dd>{ data.attempts }</dd>
							<dt>{ __( 'Created', 'syncline' ) }</dt>
							<dd>{ formatTime( data.created_at ) }</dd>
							<dt>{ __( 'Last error', 'syncline' ) }</dt>
							<dd>
								{ reasonLabel( data.last_error_code ) } (<code>{ data.last_error_code ?? '—' }</code>) { data.last_error_message }
							</dd>
						</dl>
						{ row && <RowEvents row={ row } /> }
						<h3>{ __( 'Payload summary', 'syncline' ) }</h3>
						{ data.payload_summary ? (
							<dl className="syncline-dl">
								<dt>{ __( 'Number', 'syncline' ) }</dt>
								<dd>{ data.payload_summary.number ?? '—' }</dd>
								<dt>{ __( 'Status', 'syncline' ) }</dt>
								<dd>{ data.payload_summary.status ?? '—' }</dd>
								<dt>{ __( 'Total', 'syncline' ) }</dt>
								<dd>{ formatMoney( data.payload_summary.total, data.payload_summary.currency ) }</dd>
								<dt>{ __( 'SKUs', 'syncline' ) }</dt>
								<dd>{ data.payload_summary.skus.join( ', ' ) || '—' }</dd>
							</dl>
						) : (
							<p>{ __( 'The order no longer exists.', 'syncline' ) }</p>
						) }
						<h3>{ __( 'The ERP’s answer', 'syncline' ) }</h3>
						<Json value={ data.last_error_details } />
						<h3>{ __( 'History', 'syncline' ) }</h3>
						{ data.log.length === 0 ? (
							<p>{ __( 'No log entries.', 'syncline' ) }</p>
						) : (
							<table className="wp-list-table widefat fixed striped">
								<thead>
									<tr>
										<th scope="col">{ __( 'When', 'syncline' ) }</th>
										<th scope="col">{ __( 'What', 'syncline' ) }</th>
										<th scope="col">{ __( 'Message', 'syncline' ) }</th>
										<th scope="col">{ __( 'By', 'syncline' ) }</th>
									</tr>
								</thead>
								<tbody>
									{ data.log.map( ( l ) => (
										<tr key={ l.id }>
											<td>{ formatTime( l.at ) }</td>
											<td>{ l.kind }</td>
											<td>{ l.message }</td>
											<td>{ l.actor ?? '—' }</td>
										</tr>
									) ) }
								</tbody>
							</table>
						) }
					</>
				) }
			</CardBody>
		</Card>
	);
}

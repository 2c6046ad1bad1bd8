import { Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useOverview, type Heartbeat, type Overview as OverviewData, type SidecarErp } from '../data/overview/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { HourlyChart } from '../components/HourlyChart';
import { ScheduleStatus } from '../components/ScheduleStatus';
import { formatDuration, formatTime } from '../components/format';
import { erpName } from '../erp';

const STATES = [ 'pending', 'leased', 'done', 'needs_human', 'discarded' ];

function stateLabel( s: string ): string {
	switch ( s ) {
		case 'pending':
			return __( 'Pending', 'syncline' );
		case 'leased':
			return __( 'In progress', 'syncline' );
		case 'done':
			return __( 'Done', 'syncline' );
		case 'needs_human':
			return __( 'Needs attention', 'syncline' );
		case 'discarded':
			return __( 'Discarded', 'syncline' );
		default:
			return s;
	}
}

/** "ERP unreachable since …" with the circuit state: shown instead of "ok" while the ERP does not answer. */
function ErpNotice( { erp, now }: { erp: SidecarErp | null | undefined; now: number } ) {
	if ( ! erp || erp.reachable ) {
		return null;
	}
	const since =
		erp.unreachable_since === null
			? __( 'The ERP does not answer the sidecar.', 'syncline' )
			: sprintf(
					/* translators: 1: date and time, 2: duration */
					__( 'ERP unreachable since %1$s (%2$s).', 'syncline' ),
					formatTime( erp.unreachable_since ),
					formatDuration( Math.max( 0, now - erp.unreachable_since ) )
			  );
	return (
		<Notice status="error" isDismissible={ false } className="syncline-erp-down">
			<p>
				<strong>{ since }</strong>{ ' ' }
				{ erp.circuit === 'open'
					? __( 'Circuit open: pushes are paused; orders wait in the queue and are sent when the ERP answers again.', 'syncline' )
					: __( 'Orders wait in the queue and are sent when the ERP answers again.', 'syncline' ) }
			</p>
			<p>{ __( 'Check that the ERP is up and that the sidecar can reach it (its log says why each call fails).', 'syncline' ) }</p>
		</Notice>
	);
}

function workerStatus( hb: Heartbeat ): string {
	if ( hb.state === 'stopped' ) {
		return __( 'Stopped', 'syncline' );
	}
	return ( hb.live ?? ! hb.stale ) ? __( 'Connected', 'syncline' ) : __( 'Not running', 'syncline' );
}

function SidecarNotice( { status, staleAfter }: { status: string; staleAfter: number } ) {
	if ( status === 'ok' || status === 'erp_unreachable' ) {
		return null;
	}
	return (
		<Notice status="error" isDismissible={ false } className="syncline-sidecar-down">
			<p>
				<strong>
					{ status === 'missing'
						? __( 'The Syncline sidecar has never reported: no orders are being sent to the ERP.', 'syncline' )
						: sprintf(
								/* translators: %s: duration */
								__( 'The Syncline sidecar has not reported for more than %s: orders are waiting in the queue.', 'syncline' ),
								formatDuration( staleAfter )
						  ) }
				</strong>
			</p>
			<p>
				{ __( 'Start it with', 'syncline' ) } <code>wp syncline sidecar start</code>{ ' ' }
				{ __( 'or see docs/OPERATIONS.md.', 'syncline' ) }
			</p>
		</Notice>
	);
}

type StockState = NonNullable< OverviewData[ 'stock' ] >;

function StockStaleNotice( { stock }: { stock: StockState | null } ) {
	if ( ! stock?.stale ) {
		return null;
	}
	const minutes = stock.last_read_age_seconds === null ? null : Math.floor( stock.last_read_age_seconds / 60 );
	let text: string =
		minutes === null
			? __( 'Stock figures are stale: the ERP has not answered since the sidecar started; the store keeps the last values.', 'syncline' )
			: sprintf(
					/* translators: %d: minutes */
					_n(
						'Stock figures are stale: the ERP has not answered for %d minute; the store keeps the last values.',
						'Stock figures are stale: the ERP has not answered for %d minutes; the store keeps the last values.',
						minutes,
						'syncline'
					),
					minutes
			  );
	if ( stock.cap_percent !== null ) {
		text =
			minutes === null
				? sprintf(
						/* translators: %d: percent */
						__( 'Stock figures are stale: the ERP has not answered since the sidecar started; the store keeps the last values, capped at %d %%.', 'syncline' ),
						stock.cap_percent
				  )
				: sprintf(
						/* translators: 1: minutes, 2: percent */
						_n(
							'Stock figures are stale: the ERP has not answered for %1$d minute; the store keeps the last values, capped at %2$d %%.',
							'Stock figures are stale: the ERP has not answered for %1$d minutes; the store keeps the last values, capped at %2$d %%.',
							minutes,
							'syncline'
						),
						minutes,
						stock.cap_percent
				  );
	}
	return (
		<Notice status="warning" isDismissible={ false } className="syncline-stock-stale">
			<p>
				<strong>{ text }</strong>
			</p>
			<p>
				{ __(
					'Check that the ERP is up and that the sidecar can reach it (its log says why each read fails). Real figures come back at the first full pull after the ERP answers; to force one, run',
					'syncline'
				) }{ ' ' }
				<code>wp syncline resync stock</code>.
			</p>
		</Notice>
	);
}

function StockFreshness( { stock }: { stock: StockState | null } ) {
	if ( stock === null ) {
		return <p>{ __( 'No sidecar reports a stock sync.', 'syncline' ) }</p>;
	}
	return (
		<p className="syncline-stock-read">
			{ stock.last_read_at === null
				? __( 'Stock has not been read from the ERP yet.', 'syncline' )
				: sprintf(
						/* translators: %s: duration */
						__( 'Stock last read from the ERP: %s ago.', 'syncline' ),
						formatDuration( stock.last_read_age_seconds )
				  ) }
			{ stock.stale && (
				<>
					{ ' ' }
					<strong>{ __( 'Stale.', 'syncline' ) }</strong>
				</>
			) }
		</p>
	);
}

/** "ERP: Odoo 17.0 — reachable" (or unreachable since …): which ERP the live sidecars talk to, as their heartbeats name it. */
function ErpSummary( { erp }: { erp: SidecarErp | null | undefined } ) {
	if ( ! erp?.name ) {
		return null;
	}
	let state: string;
	if ( erp.reachable ) {
		state = __( 'reachable', 'syncline' );
	} else if ( erp.unreachable_since === null ) {
		state = __( 'unreachable', 'syncline' );
	} else {
		/* translators: %s: date and time */
		state = sprintf( __( 'unreachable since %s', 'syncline' ), formatTime( erp.unreachable_since ) );
	}
	return (
		<p className={ `syncline-erp-summary ${ erp.reachable ? 'is-reachable' : 'is-unreachable' }` }>
			{ sprintf(
				/* translators: 1: the ERP's name and version (e.g. Odoo 17.0), 2: reachable / unreachable since … */
				__( 'ERP: %1$s — %2$s', 'syncline' ),
				erp.name,
				state
			) }
		</p>
	);
}

/** The ERP a worker names, with its version ("Odoo 17.0"), above its reachability. */
function workerErp( erp: Heartbeat[ 'erp' ] ): string | null {
	return erp?.type ? `${ erpName( erp.type ) }${ erp.version ? ` ${ erp.version }` : '' }` : null;
}

function WorkerRow( { hb }: { hb: Heartbeat } ) {
	const erp = hb.erp;
	return (
		<tr>
			<td>{ hb.worker }</td>
			<td>{ workerStatus( hb ) }</td>
			<td>{ hb.version ?? '—' }</td>
			<td>
				{ formatTime( hb.received_at ) }
				<br />
				<span className="description">
					{ /* translators: %s: duration */ }
					{ sprintf( __( '%s ago', 'syncline' ), formatDuration( hb.age_seconds ) ) }
				</span>
			</td>
			<td>{ formatDuration( hb.uptime_seconds ) }</td>
			<td>
				{ workerErp( erp ) && (
					<>
						{ workerErp( erp ) }
						<br />
					</>
				) }
				{ erp === null || erp.reachable === null
					? __( 'unknown', 'syncline' )
					: erp.reachable
					? __( 'Reachable', 'syncline' )
					: __( 'Unreachable', 'syncline' ) }
			</td>
			<td>{ erp?.circuit ?? '—' }</td>
		</tr>
	);
}

export function Overview() {
	const { data, error, isLoading } = useOverview();
	if ( ! data ) {
		return error ? <ErrorNotice error={ error } /> : <Spinner />;
	}
	return (
		<div className="syncline-overview">
			<SidecarNotice status={ data.sidecar.status } staleAfter={ data.sidecar.stale_after_seconds } />
			<ErpNotice erp={ data.sidecar.erp } now={ data.server_time } />
			<StockStaleNotice stock={ data.stock ?? null } />
			<ErrorNotice error={ error } />
			<Card className="syncline-card">
				<CardHeader>
					<h2>{ __( 'Sidecar and ERP', 'syncline' ) }</h2>
					{ isLoading && <Spinner /> }
				</CardHeader>
				<CardBody>
					<ErpSummary erp={ data.sidecar.erp } />
					{ data.sidecar.workers.length === 0 ? (
						<p>{ __( 'No sidecar has sent a heartbeat yet.', 'syncline' ) }</p>
					) : (
						<table className="wp-list-table widefat fixed striped">
							<thead>
								<tr>
									<th scope="col">{ __( 'Worker', 'syncline' ) }</th>
									<th scope="col">{ __( 'Status', 'syncline' ) }</th>
									<th scope="col">{ __( 'Version', 'syncline' ) }</th>
									<th scope="col">{ __( 'Last heartbeat', 'syncline' ) }</th>
									<th scope="col">{ __( 'Uptime', 'syncline' ) }</th>
									<th scope="col">{ __( 'ERP', 'syncline' ) }</th>
									<th scope="col">{ __( 'Circuit', 'syncline' ) }</th>
								</tr>
							</thead>
							<tbody>
								{ data.sidecar.workers.map( ( hb ) => (
									<WorkerRow key={ hb.worker } hb={ hb } />
								) ) }
							</tbody>
						</table>
					) }
				</CardBody>
			</Card>
			<ScheduleStatus />
			<Card className="syncline-card syncline-stock">
				<CardHeader>
					<h2>{ __( 'Stock', 'syncline' ) }</h2>
				</CardHeader>
				<CardBody>
					<StockFreshness stock={ data.stock ?? null } />
				</CardBody>
			</Card>
			<Card className="syncline-card">
				<CardHeader>
					<h2>{ __( 'Queue', 'syncline' ) }</h2>
				</CardHeader>
				<CardBody>
					<ul className="syncline-counts">
						{ STATES.map( ( s ) => (
							<li key={ s } className={ `syncline-count syncline-count-${ s }` }>
								<span className="syncline-count-value">{ data.queue[ s ] ?? 0 }</span>
								<span className="syncline-count-label">{ stateLabel( s ) }</span>
							</li>
						) ) }
					</ul>
					<p>
						{ data.oldest_pending_age_seconds === null
							? __( 'Nothing is waiting to be sent.', 'syncline' )
							: sprintf(
									/* translators: %s: duration */
									__( 'Oldest pending event: %s old.', 'syncline' ),
									formatDuration( data.oldest_pending_age_seconds )
							  ) }
					</p>
				</CardBody>
			</Card>
			<Card className="syncline-card">
				<CardHeader>
					<h2>{ __( 'Pushed orders, last 24 hours', 'syncline' ) }</h2>
				</CardHeader>
				<CardBody>
					<HourlyChart buckets={ data.pushed_24h } />
				</CardBody>
			</Card>
		</div>
	);
}

import { Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useQuery } from '../data/query/hooks';
import { formatMs, formatTime } from './format';

interface ScheduleRow {
	hook: string;
	interval_s: number | null;
	last_run_at: number | null;
	duration_ms: number | null;
	outcome: string;
	message: string;
	next_run_at: number | null;
	warning: string;
}

const NAMES: Record< string, string > = {
	syncline_stock_pull: __( 'Stock pull from the ERP', 'syncline' ),
	syncline_reconcile: __( 'Reconciliation', 'syncline' ),
	syncline_sweep: __( 'Sweep for orders without an outbox event', 'syncline' ),
};

/** The WP-Cron jobs: last run, duration, outcome, next run, and a warning when a run was missed. */
export function ScheduleStatus() {
	const q = useQuery< ScheduleRow[] >( '/syncline/v1/admin/schedules' );
	const rows = q.data ?? [];
	return (
		<Card className="syncline-card syncline-schedules">
			<CardHeader>
				<h2>{ __( 'Scheduled jobs', 'syncline' ) }</h2>
			</CardHeader>
			<CardBody>
				{ rows.filter( ( r ) => r.warning ).map( ( r ) => (
					<Notice key={ r.hook } status="warning" isDismissible={ false }>
						{ `${ NAMES[ r.hook ] ?? r.hook }: ${ r.warning }` }
					</Notice>
				) ) }
				<table className="widefat striped">
					<thead>
						<tr>
							<th>{ __( 'Job', 'syncline' ) }</th>
							<th>{ __( 'Last run', 'syncline' ) }</th>
							<th>{ __( 'Duration', 'syncline' ) }</th>
							<th>{ __( 'Outcome', 'syncline' ) }</th>
							<th>{ __( 'Next run', 'syncline' ) }</th>
						</tr>
					</thead>
					<tbody>
						{ rows.map( ( r ) => (
							<tr key={ r.hook }>
								<td>{ NAMES[ r.hook ] ?? r.hook }</td>
								<td>{ formatTime( r.last_run_at ) }</td>
								<td>{ formatMs( r.duration_ms ) }</td>
								<td>{ r.outcome ? `${ r.outcome }${ r.message ? ` — ${ r.message }` : '' }` : '—' }</td>
								<td>{ formatTime( r.next_run_at ) }</td>
							</tr>
						) ) }
					</tbody>
				</table>
			</CardBody>
		</Card>
	);
}

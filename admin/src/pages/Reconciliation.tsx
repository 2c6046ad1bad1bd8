import { Button, Card, CardBody, CardHeader, Notice, SelectControl, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { CLASSES, STATES, useItems, useRepair, useRunNow, useRuns, type ItemsQuery, type ReconcileRun } from '../data/reconcile/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { Pagination } from '../components/Pagination';

const PER_PAGE = 50;
const when = ( t: number | null ) => ( t ? new Date( t * 1000 ).toLocaleString() : '—' );

function Runs( { runs, selected, onSelect }: { runs: ReconcileRun[]; selected: number | null; onSelect: ( id: number ) => void } ) {
	return (
		<table className="widefat striped syncline-recon-runs">
			<thead>
				<tr>
					<th>{ __( 'Run', 'syncline' ) }</th>
					<th>{ __( 'State', 'syncline' ) }</th>
					<th>{ __( 'Started by', 'syncline' ) }</th>
					<th>{ __( 'Finished', 'syncline' ) }</th>
					<th>{ __( 'Orders / SKUs checked', 'syncline' ) }</th>
					<th>{ __( 'Found', 'syncline' ) }</th>
					<th>{ __( 'Repairs queued', 'syncline' ) }</th>
					<th>{ __( 'Cleared', 'syncline' ) }</th>
					<th>{ __( 'Duration', 'syncline' ) }</th>
				</tr>
			</thead>
			<tbody>
				{ runs.map( ( r ) => (
					<tr key={ r.id } className={ r.id === selected ? 'is-selected' : undefined }>
						<td>
							<Button variant="link" onClick={ () => onSelect( r.id ) }>
								#{ r.id }
							</Button>
						</td>
						<td>{ r.state }{ r.message ? ` — ${ r.message }` : '' }</td>
						<td>{ r.trigger }</td>
						<td>{ when( r.finished_at ) }</td>
						<td>{ r.orders_checked } / { r.skus_checked }</td>
						<td>{ r.found }</td>
						<td>{ r.repaired }</td>
						<td>{ r.cleared }</td>
						<td>{ r.duration_ms === null ? '—' : `${ ( r.duration_ms / 1000 ).toFixed( 1 ) } s` }</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}

export function Reconciliation() {
	const runs = useRuns();
	const runNow = useRunNow();
	const repair = useRepair();
	const [ query, setQuery ] = useState< ItemsQuery >( { run_id: null, class: '', state: '', page: 1, per_page: PER_PAGE } );
	const runId = query.run_id ?? runs.runs[ 0 ]?.id ?? null;
	const items = useItems( { ...query, run_id: runId } );
	const [ repaired, setRepaired ] = useState< string | null >( null );
	const doRepair = async ( data: { ids?: number[]; run_id?: number } ) => {
		const r = await repair.run( data );
		if ( r ) {
			/* translators: 1: repaired items, 2: items left to a person */
			setRepaired( sprintf( __( '%1$d repair(s) queued for the sidecar; %2$d item(s) need a person.', 'syncline' ), r.repaired, r.skipped ) );
		}
	};
	return (
		<>
			<Card className="syncline-card">
				<CardHeader>
					<h2>{ __( 'Reconciliation runs', 'syncline' ) }</h2>
					<Button variant="secondary" isBusy={ runNow.isBusy } onClick={ () => runNow.run( { days: 7, repair: false } ) }>
						{ __( 'Run now (last 7 days)', 'syncline' ) }
					</Button>
				</CardHeader>
				<CardBody>
					<p>{ __( 'Each run compares WooCommerce orders with the ERP by external reference (missing, duplicated, total to the cent, status), finds orders without an outbox event, and compares stock with freshly computed available-to-sell. The sidecar does the run; the schedule only queues it.', 'syncline' ) }</p>
					<ErrorNotice error={ runs.error ?? runNow.error } />
					{ runs.isLoading ? <Spinner /> : null }
					{ ! runs.isLoading && runs.runs.length === 0 ? <p>{ __( 'No run yet.', 'syncline' ) }</p> : null }
					{ runs.runs.length > 0 ? <Runs runs={ runs.runs } selected={ runId } onSelect={ ( id ) => setQuery( { ...query, run_id: id, page: 1 } ) } /> : null }
				</CardBody>
			</Card>
			{ runId !== null ? (
				<Card className="syncline-card">
					<CardHeader>
						{ /* translators: %d: run id */ }
						<h2>{ sprintf( __( 'Items of run #%d', 'syncline' ), runId ) }</h2>
						<Button variant="primary" isBusy={ repair.isBusy } onClick={ () => doRepair( { run_id: runId } ) }>
							{ __( 'Repair every repairable item', 'syncline' ) }
						</Button>
					</CardHeader>
					<CardBody>
						{ repaired ? <Notice status="success" onRemove={ () => setRepaired( null ) }>{ repaired }</Notice> : null }
						<ErrorNotice error={ items.error ?? repair.error } />
						<div className="syncline-filters">
							<SelectControl
								label={ __( 'Class', 'syncline' ) }
								value={ query.class }
								options={ [ { label: __( 'All', 'syncline' ), value: '' }, ...CLASSES.map( ( c ) => ( { label: c, value: c } ) ) ] }
								onChange={ ( v ) => setQuery( { ...query, class: v, page: 1 } ) }
							/>
							<SelectControl
								label={ __( 'State', 'syncline' ) }
								value={ query.state }
								options={ [ { label: __( 'All', 'syncline' ), value: '' }, ...STATES.map( ( s ) => ( { label: s, value: s } ) ) ] }
								onChange={ ( v ) => setQuery( { ...query, state: v, page: 1 } ) }
							/>
						</div>
						{ items.isLoading ? <Spinner /> : null }
						<table className="widefat striped syncline-recon-items">
							<thead>
								<tr>
									<th>{ __( 'Class', 'syncline' ) }</th>
									<th>{ __( 'Order / SKU', 'syncline' ) }</th>
									<th>{ __( 'What is wrong', 'syncline' ) }</th>
									<th>{ __( 'State', 'syncline' ) }</th>
									<th>{ __( 'Action', 'syncline' ) }</th>
								</tr>
							</thead>
							<tbody>
								{ items.items.map( ( i ) => (
									<tr key={ i.id }>
										<td>{ i.class }</td>
										<td>{ i.object_type === 'order' ? `#${ i.object_key }` : i.object_key }</td>
										<td>{ i.message }</td>
										<td>{ i.state }</td>
										<td>
											{ i.repairable && i.state === 'open' ? (
												<Button variant="secondary" size="small" onClick={ () => doRepair( { ids: [ i.id ] } ) }>
													{ __( 'Repair', 'syncline' ) }
												</Button>
											) : (
												i.state === 'open' ? __( 'Needs a person', 'syncline' ) : '—'
											) }
										</td>
									</tr>
								) ) }
							</tbody>
						</table>
						<Pagination page={ query.page } totalPages={ items.totalPages } total={ items.total } onChange={ ( page ) => setQuery( { ...query, page } ) } />
					</CardBody>
				</Card>
			) : null }
		</>
	);
}

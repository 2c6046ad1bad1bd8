import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews';
import { useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { CLASSES, ITEMS_PATH, STATES, useRepair, useRunNow, useRuns, type ReconcileItem, type ReconcileRun } from '../data/reconcile/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { DataList } from '../components/DataList';
import { formatMs, formatTime } from '../components/format';

const ITEMS_VIEW: View = { type: 'table', page: 1, perPage: 50, filters: [], titleField: 'object', fields: [ 'class', 'message', 'state', 'action' ], layout: {} };

function itemFields(): Field< ReconcileItem >[] {
	return [
		{
			id: 'class',
			label: __( 'Class', 'syncline' ),
			getValue: ( { item } ) => item.class,
			elements: CLASSES.map( ( c ) => ( { value: c, label: c.replace( /_/g, ' ' ) } ) ),
			filterBy: { operators: [ 'is' ], isPrimary: true },
		},
		{
			id: 'object',
			label: __( 'Order / SKU', 'syncline' ),
			getValue: ( { item } ) => ( item.object_type === 'order' ? `#${ item.object_key }` : item.object_key ),
		},
		{ id: 'message', label: __( 'What is wrong', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.message },
		{
			id: 'state',
			label: __( 'State', 'syncline' ),
			getValue: ( { item } ) => item.state,
			elements: STATES.map( ( st ) => ( { value: st, label: st.replace( /_/g, ' ' ) } ) ),
			filterBy: { operators: [ 'is' ] },
		},
		{
			id: 'action',
			label: __( 'Action', 'syncline' ),
			enableSorting: false,
			getValue: ( { item } ) => ( item.repairable ? 'repair' : 'person' ),
			render: ( { item } ) => {
				if ( item.state !== 'open' ) {
					return <span>—</span>;
				}
				return <span>{ item.repairable ? __( 'Repairable', 'syncline' ) : __( 'Needs a person', 'syncline' ) }</span>;
			},
		},
	];
}

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
						<td>{ formatTime( r.finished_at ) }</td>
						<td>{ r.orders_checked } / { r.skus_checked }</td>
						<td>{ r.found }</td>
						<td>{ r.repaired }</td>
						<td>{ r.cleared }</td>
						<td>{ formatMs( r.duration_ms ) }</td>
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
	const [ selected, setSelected ] = useState< number | null >( null );
	const runId = selected ?? runs.runs[ 0 ]?.id ?? null;
	const fields = useMemo( itemFields, [] );
	const [ repaired, setRepaired ] = useState< string | null >( null );
	const doRepair = async ( data: { ids?: number[]; run_id?: number } ) => {
		const r = await repair.run( data );
		if ( r ) {
			/* translators: 1: repaired items, 2: items left to a person */
			setRepaired( sprintf( __( '%1$d repair(s) queued for the sidecar; %2$d item(s) need a person.', 'syncline' ), r.repaired, r.skipped ) );
		}
	};
	const actions: Action< ReconcileItem >[] = [
		{
			id: 'repair',
			label: __( 'Repair', 'syncline' ),
			isPrimary: true,
			supportsBulk: true,
			isEligible: ( i ) => i.repairable && i.state === 'open',
			callback: ( items ) => doRepair( { ids: items.map( ( i ) => i.id ) } ),
		},
	];
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
					{ runs.runs.length > 0 ? <Runs runs={ runs.runs } selected={ runId } onSelect={ setSelected } /> : null }
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
						<ErrorNotice error={ repair.error } />
						<DataList< ReconcileItem >
							viewKey="reconcile-items"
							className="syncline-recon-items"
							path={ ITEMS_PATH }
							route={ { filters: { class: 'class', state: 'state' }, sort: { class: 'class', object: 'object', state: 'state' }, fixed: { run_id: runId } } }
							fields={ fields }
							defaultView={ ITEMS_VIEW }
							getItemId={ ( i ) => String( i.id ) }
							actions={ actions }
							empty={ <p>{ __( 'Nothing to repair in this run.', 'syncline' ) }</p> }
						/>
					</CardBody>
				</Card>
			) : null }
		</>
	);
}

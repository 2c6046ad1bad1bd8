import { addQueryArgs } from '@wordpress/url';
import { useMutation, useQuery } from '../query/hooks';

export interface ReconcileRun {
	id: number;
	state: 'queued' | 'running' | 'done' | 'failed';
	trigger: string;
	window_from: number;
	window_to: number;
	repair: boolean;
	orders_checked: number;
	skus_checked: number;
	found: number;
	repaired: number;
	cleared: number;
	counts: Record< string, number >;
	message: string;
	created_at: number;
	finished_at: number | null;
	duration_ms: number | null;
}

export interface ReconcileItem {
	id: number;
	run_id: number;
	class: string;
	object_type: 'order' | 'sku';
	object_key: string;
	state: 'open' | 'repair_queued' | 'superseded' | 'cleared';
	repairable: boolean;
	diff_minor: number | null;
	message: string;
	details: Record< string, unknown >;
}

export const CLASSES = [ 'missing_in_erp', 'duplicated_in_erp', 'total_mismatch', 'status_mismatch', 'no_outbox_event', 'stock_drift' ];
export const STATES = [ 'open', 'repair_queued', 'superseded', 'cleared' ];

export function useRuns() {
	const r = useQuery< ReconcileRun[] >( addQueryArgs( '/syncline/v1/admin/reconcile/runs', { page: 1, per_page: 20 } ) );
	return { ...r, runs: r.data ?? [] };
}

export const ITEMS_PATH = '/syncline/v1/admin/reconcile/items';

/** POST /admin/reconcile/runs: queues a run for the sidecar (last `days` days). */
export function useRunNow() {
	return useMutation< { days: number; repair: boolean }, ReconcileRun >( ( data ) => ( { path: '/syncline/v1/admin/reconcile/runs', method: 'POST', data } ) );
}

/** POST /admin/reconcile/repair: the right resync for each repairable open item (by ids, or every one of a run). */
export function useRepair() {
	return useMutation< { ids?: number[]; run_id?: number }, { repaired: number; skipped: number } >( ( data ) => ( {
		path: '/syncline/v1/admin/reconcile/repair',
		method: 'POST',
		data,
	} ) );
}

import apiFetch from '@wordpress/api-fetch';
import { useMutation, useQuery, useTask } from '../query/hooks';

export interface ExceptionRow {
	id: number;
	topic: string;
	object_type: string;
	object_id: number;
	correlation_id: string;
	attempts: number;
	last_error_code: string | null;
	last_error_message: string | null;
	created_at: number;
	updated_at: number;
	age_seconds: number;
	/** One row per (object, reason) since issue 10: absent from an older server, where a row is one event. */
	group_key?: string;
	event_count?: number;
	event_ids?: number[];
	events?: Array< { id: number; topic: string; correlation_id: string; attempts: number; last_error_message: string | null; created_at: number; updated_at: number } >;
}

export interface EventLogEntry {
	id: number;
	at: number;
	kind: string;
	message: string;
	actor: string | null;
	details: unknown;
}

export interface EventDetails extends ExceptionRow {
	state: string;
	last_error_details: unknown;
	result: unknown;
	payload_summary: { order_id: number; number: string | null; status: string | null; total: string | null; currency: string | null; skus: string[] } | null;
	log: EventLogEntry[];
}

export const EXCEPTIONS_PATH = '/syncline/v1/admin/exceptions';

export function useEventDetails( id: number | null ) {
	return useQuery< EventDetails >( id ? `/syncline/v1/admin/events/${ id }` : null );
}

/** Uses the core route POST /syncline/v1/admin/events/{id}/retry. */
export function useRetryEvent() {
	return useMutation< number, unknown >( ( id ) => ( { path: `/syncline/v1/admin/events/${ id }/retry`, method: 'POST' } ) );
}

/** Uses the core route POST /syncline/v1/admin/events/{id}/discard {reason}; the reason is kept for audit. */
export function useDiscardEvent() {
	return useMutation< { id: number; reason: string }, unknown >( ( { id, reason } ) => ( {
		path: `/syncline/v1/admin/events/${ id }/discard`,
		method: 'POST',
		data: { reason },
	} ) );
}

export function useRetryByCode() {
	return useMutation< string, { retried: number } >( ( code ) => ( {
		path: '/syncline/v1/admin/exceptions/retry-by-code',
		method: 'POST',
		data: { code },
	} ) );
}

/**
 * Retry or discard of list rows: rows of the grouped list (group_key) through POST /admin/exceptions/retry|discard,
 * which act on every event of each row; rows of an older server (one event each) event by event. Resolves to the
 * number of events acted on.
 */
export function useRowsAction( kind: 'retry' | 'discard' ) {
	return useTask< { rows: ExceptionRow[]; reason?: string }, number >( async ( { rows, reason } ) => {
		const groups = rows.map( ( r ) => r.group_key ).filter( ( g ): g is string => !! g );
		const data = kind === 'discard' ? { reason } : {};
		if ( groups.length === rows.length ) {
			const r = ( await apiFetch( { path: `${ EXCEPTIONS_PATH }/${ kind }`, method: 'POST', data: { ...data, groups } } ) ) as { retried?: number; discarded?: number };
			return r.retried ?? r.discarded ?? 0;
		}
		for ( const row of rows ) {
			await apiFetch( { path: `/syncline/v1/admin/events/${ row.id }/${ kind }`, method: 'POST', data } );
		}
		return rows.length;
	} );
}

import { addQueryArgs } from '@wordpress/url';
import { useMutation, useQuery } from '../query/hooks';

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
}

export interface ExceptionsQuery {
	search: string;
	code: string;
	min_age_hours: number;
	page: number;
	per_page: number;
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

export function exceptionsPath( q: ExceptionsQuery ): string {
	const args: Record< string, string | number > = { page: q.page, per_page: q.per_page };
	if ( q.search ) {
		args.search = q.search;
	}
	if ( q.code ) {
		args.code = q.code;
	}
	if ( q.min_age_hours > 0 ) {
		args.min_age_hours = q.min_age_hours;
	}
	return addQueryArgs( '/syncline/v1/admin/exceptions', args );
}

export function useExceptions( q: ExceptionsQuery ) {
	const r = useQuery< ExceptionRow[] >( exceptionsPath( q ) );
	return { ...r, items: r.data ?? [] };
}

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

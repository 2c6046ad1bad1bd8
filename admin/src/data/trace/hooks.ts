import { useQuery } from '../query/hooks';
import type { EventLogEntry } from '../exceptions/hooks';

export interface ErpDocument {
	type: string;
	id: string;
	ref: string | null;
	url: string | null;
}

export interface TraceEvent {
	id: number;
	topic: string;
	state: string;
	attempts: number;
	correlation_id: string;
	last_error_code: string | null;
	last_error_message: string | null;
	created_at: number;
	updated_at: number;
	documents: ErpDocument[];
	/** What the event's push did, in a sentence (null when there is nothing to say). */
	outcome: string | null;
	log: EventLogEntry[];
}

export interface OrderTrace {
	order_id: number;
	correlation_id: string | null;
	order_edit_url: string | null;
	erp_refs: { erp?: string; documents?: ErpDocument[] } | null;
	events: TraceEvent[];
}

export function useOrderTrace( orderId: number | null ) {
	return useQuery< OrderTrace >( orderId ? `/syncline/v1/admin/orders/${ orderId }/trace` : null );
}

/** One row of GET /admin/events (newest first, filterable by state). */
export interface EventRow {
	id: number;
	topic: string;
	object_type: string;
	object_id: number;
	state: string;
	attempts: number;
	last_error_code: string | null;
	last_error_message: string | null;
	created_at: number;
	updated_at: number;
}

export const EVENTS_PATH = '/syncline/v1/admin/events';

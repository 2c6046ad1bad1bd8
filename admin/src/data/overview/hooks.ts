import { useQuery } from '../query/hooks';

export interface Heartbeat {
	worker: string;
	version: string | null;
	uptime_seconds: number | null;
	received_at: number | null;
	age_seconds: number | null;
	/** No heartbeat for more than `stale_after_seconds`. */
	stale: boolean;
	/** `stopped`: its last heartbeat said it shut down. */
	state?: 'running' | 'stopped';
	/** Reporting and not stopped. */
	live?: boolean;
	erp: {
		/** The ERP the heartbeat names (`odoo`) and the version its ping answered (`17.0`); null when not reported. */
		type?: string | null;
		version?: string | null;
		reachable: boolean | null;
		circuit: string | null;
		last_success_at: number | null;
		unreachable_since?: number | null;
		stale: boolean | null;
		last_read_at: number | null;
		stock_cap_percent: number | null;
	} | null;
	counters: Record< string, number >;
}

export interface SidecarErp {
	/** Which ERP, as the newest live sidecar that names it reports: `odoo`, `17.0`, "Odoo 17.0" (null: none names it). */
	type?: string | null;
	version?: string | null;
	name?: string | null;
	reachable: boolean;
	circuit: string;
	unreachable_since: number | null;
	last_success_at: number | null;
}

export interface Overview {
	server_time: number;
	sidecar: {
		status: 'ok' | 'stale' | 'missing' | 'erp_unreachable';
		stale_after_seconds: number;
		workers: Heartbeat[];
		/** The ERP as the live sidecars see it (null: none reports it). */
		erp?: SidecarErp | null;
	};
	queue: Record< string, number >;
	oldest_pending_age_seconds: number | null;
	exceptions_by_code: Array< { code: string; count: number } >;
	pushed_24h: Array< { hour_start: number; count: number } >;
	/** The stock sync's state from the freshest heartbeat that carries one (null: no sidecar syncs stock). */
	stock: {
		worker: string;
		stale: boolean;
		last_read_at: number | null;
		last_read_age_seconds: number | null;
		cap_percent: number | null;
	} | null;
}

export const OVERVIEW_PATH = '/syncline/v1/admin/overview';

export function useOverview() {
	return useQuery< Overview >( OVERVIEW_PATH );
}

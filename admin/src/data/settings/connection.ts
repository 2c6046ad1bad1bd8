import apiFetch from '@wordpress/api-fetch';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { toQueryError } from '../query/resolvers';
import type { QueryError } from '../query/actions';

export const TEST_CONNECTION_PATH = '/syncline/v1/admin/settings/test-connection';

/** How often the screen asks for the sidecar's answer, and for how long. */
const POLL_MS = 1000;
const GIVE_UP_MS = 20_000;

export interface SidecarSeen {
	worker: string;
	version: string | null;
	age_seconds: number;
	erp: {
		/** The ERP the heartbeat names (`odoo`), its version (`17.0`) and both as shown ("Odoo 17.0"); null when not named. */
		type?: string | null;
		version?: string | null;
		name?: string | null;
		reachable: boolean | null;
		circuit: string | null;
		last_success_at: number | null;
	};
}

interface StartResponse {
	event_id: number;
	sidecar_connected: boolean;
	sidecar: SidecarSeen | null;
}

interface EventResponse {
	state: string;
	last_error_code: string | null;
	last_error_message: string | null;
	result: { erp?: string; version?: string; ms?: number } | null;
}

export type ConnectionTestState =
	| { kind: 'idle' }
	| { kind: 'waiting'; eventId: number; sidecar: SidecarSeen | null }
	| { kind: 'ok'; eventId: number; sidecar: SidecarSeen | null; erp: string; version: string; ms: number }
	| { kind: 'failed'; eventId: number; sidecar: SidecarSeen | null; code: string; message: string }
	| { kind: 'no_sidecar'; eventId: number }
	| { kind: 'timeout'; eventId: number; sidecar: SidecarSeen | null; lastError: string | null }
	| { kind: 'error'; error: QueryError };

const sleep = ( ms: number ) => new Promise< void >( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * "Test connection": records an `erp.ping` event, then polls it every second for up to 20 s until the sidecar
 * answers it (done with the ERP version, or needs_human with the failure).
 */
export function useConnectionTest(): { state: ConnectionTestState; run: () => Promise< void > } {
	const [ state, setState ] = useState< ConnectionTestState >( { kind: 'idle' } );
	const generation = useRef( 0 );
	useEffect( () => () => {
		generation.current++;
	}, [] );
	const run = useCallback( async () => {
		const mine = ++generation.current;
		const live = () => generation.current === mine;
		let start: StartResponse;
		try {
			start = ( await apiFetch( { path: TEST_CONNECTION_PATH, method: 'POST' } ) ) as StartResponse;
		} catch ( e ) {
			if ( live() ) {
				setState( { kind: 'error', error: await toQueryError( e ) } );
			}
			return;
		}
		const { event_id: eventId, sidecar } = start;
		if ( ! start.sidecar_connected ) {
			setState( { kind: 'no_sidecar', eventId } );
			return;
		}
		setState( { kind: 'waiting', eventId, sidecar } );
		const t0 = Date.now();
		let lastError: string | null = null;
		while ( live() && Date.now() - t0 < GIVE_UP_MS ) {
			await sleep( POLL_MS );
			if ( ! live() ) {
				return;
			}
			let ev: EventResponse;
			try {
				ev = ( await apiFetch( { path: `/syncline/v1/admin/events/${ eventId }` } ) ) as EventResponse;
			} catch {
				continue;
			}
			if ( ev.state === 'done' && ev.result ) {
				setState( { kind: 'ok', eventId, sidecar, erp: ev.result.erp ?? '', version: ev.result.version ?? '', ms: ev.result.ms ?? 0 } );
				return;
			}
			if ( ev.state === 'needs_human' || ev.state === 'discarded' ) {
				setState( { kind: 'failed', eventId, sidecar, code: ev.last_error_code ?? '', message: ev.last_error_message ?? '' } );
				return;
			}
			lastError = ev.last_error_message ?? lastError;
		}
		if ( live() ) {
			setState( { kind: 'timeout', eventId, sidecar, lastError } );
		}
	}, [] );
	return { state, run };
}

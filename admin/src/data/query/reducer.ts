import type { QueryAction, QueryError, QueryMeta } from './actions';

export interface QueryEntry {
	data: unknown;
	meta: QueryMeta;
	/** The last error for this key; kept next to the last good data so a failed refresh does not blank the screen. */
	error: QueryError | null;
	receivedAt: number;
}

export interface QueryState {
	entries: Record< string, QueryEntry >;
}

const EMPTY_META: QueryMeta = { total: null, totalPages: null };

export function reducer(
	state: QueryState = { entries: {} },
	action: QueryAction
): QueryState {
	switch ( action.type ) {
		case 'RECEIVE_QUERY':
			return {
				entries: {
					...state.entries,
					[ action.key ]: {
						data: action.data,
						meta: action.meta,
						error: null,
						receivedAt: Date.now(),
					},
				},
			};
		case 'RECEIVE_QUERY_ERROR': {
			const prev = state.entries[ action.key ];
			return {
				entries: {
					...state.entries,
					[ action.key ]: {
						data: prev?.data ?? null,
						meta: prev?.meta ?? EMPTY_META,
						error: action.error,
						receivedAt: Date.now(),
					},
				},
			};
		}
		default:
			return state;
	}
}

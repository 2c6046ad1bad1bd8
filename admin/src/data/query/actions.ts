/**
 * Plain actions of the generic query slice: one entry per query key (the REST path with its query string).
 */
export interface QueryMeta {
	total: number | null;
	totalPages: number | null;
}

export interface QueryError {
	code: string;
	message: string;
	status: number | null;
	/** Field-level messages from the server (`data.params` of rest_invalid_param or `data.errors`). */
	fields: Record< string, string >;
}

export const receiveQuery = ( key: string, data: unknown, meta: QueryMeta ) =>
	( { type: 'RECEIVE_QUERY', key, data, meta } ) as const;

export const receiveQueryError = ( key: string, error: QueryError ) =>
	( { type: 'RECEIVE_QUERY_ERROR', key, error } ) as const;

export type QueryAction =
	| ReturnType< typeof receiveQuery >
	| ReturnType< typeof receiveQueryError >;

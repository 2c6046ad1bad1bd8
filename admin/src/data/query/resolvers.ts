import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';
import { receiveQuery, receiveQueryError, type QueryError } from './actions';

interface ThunkArgs {
	dispatch: ( action: unknown ) => unknown;
}

/** Turns whatever api-fetch threw (a parsed WP_Error body, a Response, a network error) into a QueryError. */
export async function toQueryError( e: unknown ): Promise< QueryError > {
	let body: unknown = e;
	let status: number | null = null;
	if ( typeof Response !== 'undefined' && e instanceof Response ) {
		status = e.status;
		try {
			body = await e.json();
		} catch {
			body = {};
		}
	}
	const b = ( body ?? {} ) as {
		code?: string;
		message?: string;
		data?: { status?: number; params?: Record< string, string >; errors?: Record< string, string > };
	};
	return {
		code: b.code ?? 'fetch_error',
		message: b.message ?? __( 'The request failed. Check your connection and try again.', 'syncline' ),
		status: b.data?.status ?? status,
		fields: { ...( b.data?.params ?? {} ), ...( b.data?.errors ?? {} ) },
	};
}

function headerNumber( res: Response, name: string ): number | null {
	const v = res.headers.get( name );
	return v === null ? null : Number( v );
}

/** Fetches one REST path with the cookie + nonce api-fetch adds, keeping the pagination headers. */
export const getQuery =
	( key: string ) =>
	async ( { dispatch }: ThunkArgs ) => {
		try {
			const res = ( await apiFetch( { path: key, parse: false } ) ) as Response;
			const data: unknown = await res.json();
			dispatch(
				receiveQuery( key, data, {
					total: headerNumber( res, 'X-WP-Total' ),
					totalPages: headerNumber( res, 'X-WP-TotalPages' ),
				} )
			);
		} catch ( e ) {
			dispatch( receiveQueryError( key, await toQueryError( e ) ) );
		}
	};

import { useDispatch, useSelect } from '@wordpress/data';
import { useCallback, useState } from '@wordpress/element';
import apiFetch from '@wordpress/api-fetch';
import { STORE_NAME } from '../store';
import { toQueryError } from './resolvers';
import type { QueryError } from './actions';

export interface QueryResult< T > {
	data: T | null;
	total: number | null;
	totalPages: number | null;
	error: QueryError | null;
	isLoading: boolean;
}

interface StoreSelectors {
	getQuery: ( key: string ) => { data: unknown; meta: { total: number | null; totalPages: number | null }; error: QueryError | null } | undefined;
	hasFinishedResolution: ( name: string, args: unknown[] ) => boolean;
}

/** Reads (and on first use fetches) one REST path through the store. Pass null to skip. */
export function useQuery< T >( key: string | null ): QueryResult< T > {
	return useSelect(
		( select ) => {
			if ( key === null ) {
				return { data: null, total: null, totalPages: null, error: null, isLoading: false };
			}
			const s = select( STORE_NAME ) as unknown as StoreSelectors;
			const entry = s.getQuery( key );
			return {
				data: ( entry?.data ?? null ) as T | null,
				total: entry?.meta.total ?? null,
				totalPages: entry?.meta.totalPages ?? null,
				error: entry?.error ?? null,
				isLoading: ! s.hasFinishedResolution( 'getQuery', [ key ] ),
			};
		},
		[ key ]
	);
}

/** Marks every cached query stale; mounted hooks fetch again. */
export function useInvalidate(): () => void {
	const { invalidateResolutionForStoreSelector } = useDispatch( STORE_NAME ) as unknown as {
		invalidateResolutionForStoreSelector: ( name: string ) => void;
	};
	return useCallback( () => invalidateResolutionForStoreSelector( 'getQuery' ), [ invalidateResolutionForStoreSelector ] );
}

export interface Mutation< A, R > {
	run: ( args: A ) => Promise< R | null >;
	isBusy: boolean;
	error: QueryError | null;
	reset: () => void;
}

/**
 * Short-lived request state stays local (retry, discard, save): the hook keeps busy/error for its caller and
 * invalidates the cached queries after a success so lists refresh. `task` is any request(s) to the server.
 */
export function useTask< A, R >( task: ( args: A ) => Promise< R > ): Mutation< A, R > {
	const [ isBusy, setBusy ] = useState( false );
	const [ error, setError ] = useState< QueryError | null >( null );
	const invalidate = useInvalidate();
	const run = useCallback(
		async ( args: A ) => {
			setBusy( true );
			setError( null );
			try {
				const r = await task( args );
				invalidate();
				return r;
			} catch ( e ) {
				setError( await toQueryError( e ) );
				return null;
			} finally {
				setBusy( false );
			}
		},
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[ invalidate ]
	);
	return { run, isBusy, error, reset: () => setError( null ) };
}

/** One REST request as a task (the usual case). */
export function useMutation< A, R >( request: ( args: A ) => { path: string; method: string; data?: unknown; body?: string; headers?: Record< string, string > } ): Mutation< A, R > {
	return useTask< A, R >( async ( args ) => ( await apiFetch( request( args ) ) ) as R );
}

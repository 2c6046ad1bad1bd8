import type { QueryEntry, QueryState } from './reducer';

/** The entry for one query key (a REST path); resolved by resolvers.getQuery. */
export function getQuery( state: QueryState, key: string ): QueryEntry | undefined {
	return state.entries[ key ];
}

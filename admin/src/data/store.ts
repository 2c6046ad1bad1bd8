/**
 * The one Syncline admin store. Every entity (overview, exceptions, trace, mappings, settings) reads through
 * the same generic query slice keyed by REST path, so loading and errors are kept per query key; entity
 * folders hold the typed hooks and mutations components use.
 */
import { createReduxStore, register } from '@wordpress/data';
import { reducer } from './query/reducer';
import * as actions from './query/actions';
import * as selectors from './query/selectors';
import * as resolvers from './query/resolvers';

export const STORE_NAME = 'syncline/admin';

export const store = createReduxStore( STORE_NAME, {
	reducer,
	actions,
	selectors,
	resolvers: { getQuery: resolvers.getQuery },
} as never );

register( store );

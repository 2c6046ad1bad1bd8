/**
 * List views (filters, search, sort, columns, page size) saved per user: WordPress's own preferences store
 * (wp.preferences) with the persistence layer the block editor uses, which keeps them in the user's
 * `persisted_preferences` meta through /wp/v2/users/me (and a per-user localStorage copy, newest wins).
 * No Syncline route: the view follows the user to any browser.
 */
import apiFetch from '@wordpress/api-fetch';
import { dispatch, useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { store as preferencesStore } from '@wordpress/preferences';
import { __unstableCreatePersistenceLayer } from '@wordpress/preferences-persistence';
import type { View } from '@wordpress/dataviews';

const SCOPE = 'syncline/admin';

let loading: Promise< boolean > | null = null;

/** Loads the user's saved preferences once per page; resolves false when they could not be read (views then last for the visit). */
export function loadSavedViews(): Promise< boolean > {
	loading ??= ( async () => {
		try {
			// Preloaded into the page (includes/Admin/AdminPage.php PRELOAD: keep the two paths equal), so the first list
			// does not wait for a request.
			const me = ( await apiFetch( { path: '/wp/v2/users/me?context=edit&_fields=id,meta' } ) ) as {
				id: number;
				meta?: { persisted_preferences?: unknown };
			};
			const prefs = dispatch( preferencesStore ) as unknown as { setPersistenceLayer: ( l: unknown ) => Promise< void > };
			// Always an object: with none (a user who never saved a view), the layer would ask /users/me again itself.
			const server = me.meta?.persisted_preferences;
			const data = server && typeof server === 'object' && ! Array.isArray( server ) ? server : {};
			await prefs.setPersistenceLayer( __unstableCreatePersistenceLayer( data, me.id ) );
			return true;
		} catch {
			return false;
		}
	} )();
	return loading;
}

/** The part of a view worth keeping: filters, sort, columns, page size; not the page or a one-off search. */
type SavedView = Omit< View, 'page' | 'search' >;

function saved( view: View ): SavedView {
	const { page: _page, search: _search, ...rest } = view;
	return rest;
}

export interface SavedViewState {
	/** Null until the saved view is known (avoids fetching the default list and then the saved one). */
	view: View | null;
	setView: ( view: View ) => void;
	/** Back to the list's default view (and forgets the saved one); false when nothing differs. */
	reset: ( () => void ) | false;
}

export function useSavedView( key: string, defaultView: View ): SavedViewState {
	const [ ready, setReady ] = useState( false );
	const [ transient, setTransient ] = useState( { page: 1, search: '' } );
	useEffect( () => {
		let live = true;
		loadSavedViews().then( () => live && setReady( true ) );
		return () => {
			live = false;
		};
	}, [] );
	const stored = useSelect(
		( select ) => ( select( preferencesStore ) as unknown as { get: ( s: string, n: string ) => unknown } ).get( SCOPE, `view:${ key }` ),
		[ key ]
	) as SavedView | undefined | null;
	const { set } = useDispatch( preferencesStore ) as unknown as { set: ( s: string, n: string, v: unknown ) => void };
	const current: SavedView = stored ? ( { ...saved( defaultView ), ...stored } as SavedView ) : saved( defaultView );
	return {
		view: ready ? ( { ...current, ...transient } as View ) : null,
		setView: ( view ) => {
			setTransient( { page: view.page ?? 1, search: view.search ?? '' } );
			const next = saved( view );
			if ( JSON.stringify( next ) !== JSON.stringify( current ) ) {
				set( SCOPE, `view:${ key }`, next );
			}
		},
		reset: stored
			? () => {
				setTransient( { page: 1, search: '' } );
				set( SCOPE, `view:${ key }`, null );
			}
			: false,
	};
}

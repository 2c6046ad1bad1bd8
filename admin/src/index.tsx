/**
 * Entry of the WooCommerce → Syncline screen. Mounts with createRoot where WordPress ships React 18+
 * (WordPress 6.2+), and with render() on WordPress 6.1 (React 17).
 */
import * as element from '@wordpress/element';
import './data/store';
import { loadSavedViews } from './data/views';
import { App } from './App';
import './style.css';

const root = document.getElementById( 'syncline-admin-root' );
if ( root ) {
	// The user's saved list views, fetched while the app mounts.
	loadSavedViews();
	const el = element as unknown as {
		createRoot?: ( node: Element ) => { render: ( n: unknown ) => void };
		render?: ( n: unknown, node: Element ) => void;
	};
	if ( typeof el.createRoot === 'function' ) {
		el.createRoot( root ).render( <App /> );
	} else if ( el.render ) {
		el.render( <App />, root );
	}
}

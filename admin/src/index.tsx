import { createRoot } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

function App() {
	return (
		<div className="syncline-admin">
			<h1>{ __( 'Syncline', 'syncline' ) }</h1>
			<p>{ __( 'The Syncline screen is loading.', 'syncline' ) }</p>
		</div>
	);
}

const root = document.getElementById( 'syncline-admin-root' );
if ( root ) {
	createRoot( root ).render( <App /> );
}

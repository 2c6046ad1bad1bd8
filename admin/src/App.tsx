import { TabPanel } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { addQueryArgs, getQueryArg, removeQueryArgs } from '@wordpress/url';
import { Overview } from './pages/Overview';
import { Exceptions } from './pages/Exceptions';
import { OrderTrace } from './pages/OrderTrace';
import { Mappings } from './pages/Mappings';
import { Settings } from './pages/Settings';
import { Reconciliation } from './pages/Reconciliation';

const TAB_NAMES = [ 'overview', 'exceptions', 'trace', 'mappings', 'settings', 'reconciliation' ];

/** Keeps the tab (and the traced order) in the address so reloads and links land on the same view. */
function writeUrl( tab: string, order: number | null ): void {
	let url = addQueryArgs( window.location.href, { tab } );
	url = order ? addQueryArgs( url, { order } ) : removeQueryArgs( url, 'order' );
	window.history.replaceState( null, '', url );
}

function readInitial(): { tab: string; order: number | null } {
	const tab = String( getQueryArg( window.location.href, 'tab' ) ?? 'overview' );
	const order = Number( getQueryArg( window.location.href, 'order' ) ?? 0 );
	return { tab: TAB_NAMES.includes( tab ) ? tab : 'overview', order: order > 0 ? order : null };
}

export function App() {
	const initial = readInitial();
	const [ tab, setTab ] = useState( initial.tab );
	const [ order, setOrder ] = useState< number | null >( initial.order );
	// TabPanel in WordPress 6.1 is uncontrolled; remounting with a new initialTabName switches tabs from code.
	const [ generation, setGeneration ] = useState( 0 );

	const openTrace = ( id: number ) => {
		setOrder( id );
		setTab( 'trace' );
		setGeneration( generation + 1 );
		writeUrl( 'trace', id );
	};

	const tabs = [
		{ name: 'overview', title: __( 'Overview', 'syncline' ) },
		{ name: 'exceptions', title: __( 'Exceptions', 'syncline' ) },
		{ name: 'trace', title: __( 'Order trace', 'syncline' ) },
		{ name: 'mappings', title: __( 'Mappings', 'syncline' ) },
		{ name: 'settings', title: __( 'Settings', 'syncline' ) },
		{ name: 'reconciliation', title: __( 'Reconciliation', 'syncline' ) },
	];

	return (
		<div className="syncline-admin">
			<h1 className="wp-heading-inline">{ __( 'Syncline', 'syncline' ) }</h1>
			<TabPanel
				key={ generation }
				className="syncline-tabs"
				tabs={ tabs }
				initialTabName={ tab }
				onSelect={ ( name: string ) => {
					setTab( name );
					writeUrl( name, name === 'trace' ? order : null );
				} }
			>
				{ ( t: { name: string } ) => {
					switch ( t.name ) {
						case 'exceptions':
							return <Exceptions onTrace={ openTrace } />;
						case 'trace':
							return (
								<OrderTrace
									key={ order ?? 0 }
									orderId={ order }
									onOrderId={ ( id ) => {
										setOrder( id );
										writeUrl( 'trace', id );
									} }
								/>
							);
						case 'mappings':
							return <Mappings />;
						case 'settings':
							return <Settings />;
						case 'reconciliation':
							return <Reconciliation />;
						default:
							return <Overview />;
					}
				} }
			</TabPanel>
		</div>
	);
}

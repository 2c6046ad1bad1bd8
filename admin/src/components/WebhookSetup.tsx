import apiFetch from '@wordpress/api-fetch';
import { Button, Notice, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { formatTime } from './format';

interface Setup {
	url: string;
	trigger_codes: string;
	last_received: number;
}

/** Settings button: the Dolibarr webhook target to create (push from the ERP), with the exact steps. */
export function WebhookSetup() {
	const [ setup, setSetup ] = useState< Setup | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const run = async () => {
		setBusy( true );
		setError( '' );
		try {
			setSetup( ( await apiFetch( { path: '/syncline/v1/admin/webhooks/setup', method: 'POST' } ) ) as Setup );
		} catch ( e ) {
			setError( e instanceof Error ? e.message : String( ( e as { message?: string } ).message ?? e ) );
		} finally {
			setBusy( false );
		}
	};
	return (
		<div className="syncline-webhook-setup">
			<p>
				{ __( 'Dolibarr can push stock and product changes to WordPress (seconds instead of the polling interval). Polling stays on as the safety net.', 'syncline' ) }
			</p>
			<div className="syncline-actions">
				<Button variant="secondary" onClick={ () => void run() } disabled={ busy }>
					{ __( 'Set up Dolibarr webhook', 'syncline' ) }
				</Button>
				{ busy && <Spinner /> }
			</div>
			{ error && <Notice status="error" isDismissible={ false }>{ error }</Notice> }
			{ setup && (
				<ol className="syncline-webhook-steps">
					<li>{ __( 'In Dolibarr: Home > Setup > Modules/Applications: enable "WebHook".', 'syncline' ) }</li>
					<li>{ __( 'Open the module’s setup (gear icon) > Targets > New target.', 'syncline' ) }</li>
					<li>{ __( 'URL:', 'syncline' ) } <code>{ setup.url }</code></li>
					<li>{ __( 'Trigger codes:', 'syncline' ) } <code>{ setup.trigger_codes }</code></li>
					<li>{ __( 'Save and set the target’s status to Enabled. Check with wp syncline webhooks check.', 'syncline' ) }</li>
					<li>
						{ setup.last_received > 0
							? sprintf(
								/* translators: %s: date and time. */
								__( 'Last webhook received: %s', 'syncline' ),
								formatTime( setup.last_received )
							)
							: __( 'No webhook received yet.', 'syncline' ) }
					</li>
				</ol>
			) }
			<Notice status="warning" isDismissible={ false }>
				{ __( 'Dolibarr cancels a change when its webhook call fails: keep WordPress reachable from Dolibarr, or disable the target during maintenance.', 'syncline' ) }
			</Notice>
		</div>
	);
}

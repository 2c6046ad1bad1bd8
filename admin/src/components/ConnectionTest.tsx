import { Button, Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useConnectionTest, type SidecarSeen } from '../data/settings/connection';
import { ErrorNotice } from './ErrorNotice';
import { erpName } from '../erp';

/** What the last heartbeat says about the sidecar and its ERP. */
function SidecarLine( { sidecar }: { sidecar: SidecarSeen | null } ) {
	if ( ! sidecar ) {
		return null;
	}
	const circuit = sidecar.erp.circuit ?? __( 'unknown', 'syncline' );
	const reachable =
		sidecar.erp.reachable === false ? __( 'unreachable at its last heartbeat', 'syncline' ) : __( 'reachable at its last heartbeat', 'syncline' );
	return (
		<p className="syncline-connection-sidecar">
			{ sidecar.erp.name
				? sprintf(
					/* translators: 1: sidecar worker id, 2: ERP name and version (e.g. Odoo 17.0), 3: "reachable/unreachable at its last heartbeat", 4: circuit breaker state */
					__( 'Sidecar %1$s is running; its ERP, %2$s, was %3$s (circuit %4$s).', 'syncline' ),
					sidecar.worker,
					sidecar.erp.name,
					reachable,
					circuit
				)
				: sprintf(
					/* translators: 1: sidecar worker id, 2: "reachable/unreachable at its last heartbeat", 3: circuit breaker state */
					__( 'Sidecar %1$s is running; its ERP was %2$s (circuit %3$s).', 'syncline' ),
					sidecar.worker,
					reachable,
					circuit
				) }
		</p>
	);
}

export function ConnectionTest() {
	const { state, run } = useConnectionTest();
	const busy = state.kind === 'waiting';
	return (
		<div className="syncline-connection-test">
			<p>
				{ __( 'WordPress never calls the ERP itself: the test asks the running sidecar to reach the ERP and shows its answer. The sidecar reads the ERP connection and the ATS rules saved above when it starts (a value in its own config file overrides them), so restart it after saving:', 'syncline' ) }{ ' ' }
				<code>wp syncline sidecar stop && wp syncline sidecar start</code>
			</p>
			<div className="syncline-actions">
				<Button variant="secondary" onClick={ () => void run() } disabled={ busy }>
					{ __( 'Test connection', 'syncline' ) }
				</Button>
				{ busy && <Spinner /> }
				{ busy && <span>{ __( 'Waiting for the sidecar’s answer…', 'syncline' ) }</span> }
			</div>
			<div className="syncline-connection-result" aria-live="polite">
				{ state.kind === 'error' && <ErrorNotice error={ state.error } /> }
				{ state.kind === 'no_sidecar' && (
					<Notice status="warning" isDismissible={ false }>
						{ __( 'The sidecar is not running (no heartbeat in the last 60 seconds): start it with', 'syncline' ) }{ ' ' }
						<code>wp syncline sidecar start</code>
						{ __( '. The test stays queued and is answered once the sidecar runs.', 'syncline' ) }
					</Notice>
				) }
				{ state.kind === 'ok' && (
					<Notice status="success" isDismissible={ false }>
						{ sprintf(
							/* translators: 1: ERP name, 2: ERP version, 3: round trip in milliseconds */
							__( 'Connected: %1$s %2$s answered the sidecar in %3$d ms.', 'syncline' ),
							erpName( state.erp ),
							state.version,
							state.ms
						) }
					</Notice>
				) }
				{ state.kind === 'failed' && (
					<Notice status="error" isDismissible={ false }>
						{ sprintf(
							/* translators: 1: error message, 2: error code */
							__( 'The connection test failed: %1$s (%2$s)', 'syncline' ),
							state.message,
							state.code
						) }
					</Notice>
				) }
				{ state.kind === 'timeout' && (
					<Notice status="warning" isDismissible={ false }>
						{ __( 'No sidecar answered in 20 s.', 'syncline' ) }
						{ state.lastError
							? ' ' +
							  sprintf(
									/* translators: %s: the last message recorded on the test event */
									__( 'Last message: %s', 'syncline' ),
									state.lastError
							  )
							: '' }
					</Notice>
				) }
				{ state.kind !== 'idle' && state.kind !== 'error' && state.kind !== 'no_sidecar' && <SidecarLine sidecar={ state.sidecar } /> }
			</div>
		</div>
	);
}

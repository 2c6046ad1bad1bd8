<?php
/**
 * "Test connection": asks the sidecar to ping the ERP through the outbox.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * WordPress never calls the ERP: it records an `erp.ping` event and the sidecar answers it like any other event
 * (done with the ERP version, or needs_human `erp_connection_failed`). The admin screen polls the event.
 */
final class ConnectionTest {

	public const TOPIC       = 'erp.ping';
	public const OBJECT_TYPE = 'erp';

	/** A sidecar whose last heartbeat is older than this is not counted as running, in seconds. */
	public const FRESH_SECONDS = 60;

	/**
	 * Builds the service.
	 *
	 * @param Db           $db         Database.
	 * @param OutboxWriter $writer     Records the event (coalescing into a pending ping, if any).
	 * @param Heartbeats   $heartbeats Sidecar heartbeats.
	 * @param Clock        $clock      Time.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private Heartbeats $heartbeats, private Clock $clock ) {
	}

	/**
	 * Records the ping and says whether a sidecar is there to answer it.
	 *
	 * @return array{event_id: int, sidecar_connected: bool, sidecar: array<string, mixed>|null}
	 * @throws \RuntimeException When the event cannot be found after recording it.
	 */
	public function start(): array {
		$this->writer->record( self::TOPIC, self::OBJECT_TYPE, 0 );
		$table = $this->db->table( OutboxSchema::EVENTS );
		// The newest ping is the one just recorded, or the pending one it coalesced into.
		$id = (int) $this->db->value(
			"SELECT id FROM {$table} WHERE topic = %s AND object_type = %s AND object_id = %d ORDER BY id DESC LIMIT 1",
			array( self::TOPIC, self::OBJECT_TYPE, 0 )
		);
		if ( $id <= 0 ) {
			throw new \RuntimeException( __( 'The connection test could not be recorded in the outbox.', 'syncline' ) );
		}
		$sidecar = $this->fresh_sidecar();
		return array(
			'event_id'          => $id,
			'sidecar_connected' => null !== $sidecar,
			'sidecar'           => $sidecar,
		);
	}

	/**
	 * The newest heartbeat received within FRESH_SECONDS, in display form; null when none is.
	 *
	 * @return array<string, mixed>|null
	 */
	private function fresh_sidecar(): ?array {
		$now = $this->clock->now();
		foreach ( $this->heartbeats->all() as $worker => $beat ) {
			$at = is_numeric( $beat['received_at'] ?? null ) ? (int) $beat['received_at'] : 0;
			if ( $now - $at > self::FRESH_SECONDS ) {
				continue;
			}
			$erp  = isset( $beat['erp'] ) && is_array( $beat['erp'] ) ? $beat['erp'] : array();
			$type = isset( $erp['type'] ) && is_string( $erp['type'] ) ? $erp['type'] : null;
			$ver  = isset( $erp['version'] ) && is_string( $erp['version'] ) ? $erp['version'] : null;
			return array(
				'worker'      => (string) ( $beat['worker'] ?? $worker ),
				'version'     => isset( $beat['version'] ) ? (string) $beat['version'] : null,
				'age_seconds' => max( 0, $now - $at ),
				'erp'         => array(
					'type'            => $type,
					'version'         => $ver,
					'name'            => null === $type ? null : OverviewQuery::erp_name( $type, $ver ),
					'reachable'       => isset( $erp['reachable'] ) ? (bool) $erp['reachable'] : null,
					'circuit'         => isset( $erp['circuit'] ) ? (string) $erp['circuit'] : null,
					'last_success_at' => isset( $erp['last_success_at'] ) ? (int) $erp['last_success_at'] : null,
				),
			);
		}
		return null;
	}
}

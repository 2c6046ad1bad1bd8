<?php
/**
 * Per-event history: leases, acknowledgements, retries, discards.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;

/**
 * Appends rows to `{prefix}syncline_event_log`, the trace shown by the admin screen.
 */
class EventLog {

	/**
	 * Builds the log.
	 *
	 * @param Db    $db    Database.
	 * @param Clock $clock Time.
	 */
	public function __construct( private Db $db, private Clock $clock ) {
	}

	/**
	 * Appends one entry.
	 *
	 * @param int                  $event_id Event id.
	 * @param string               $kind     leased|done|retry|needs_human|retried|discarded|refs_not_stored.
	 * @param string               $message  Short text.
	 * @param array<string, mixed> $details  Structured details (stored as JSON).
	 */
	public function add( int $event_id, string $kind, string $message = '', array $details = array() ): void {
		$table = $this->db->table( OutboxSchema::EVENT_LOG );
		$this->db->query(
			"INSERT INTO {$table} (event_id, at, kind, message, details, user_id) VALUES (%d, %d, %s, %s, %s, %d)",
			array( $event_id, $this->clock->now(), $kind, $message, (string) wp_json_encode( $details ), get_current_user_id() )
		);
	}

	/**
	 * Appends one entry per event in one statement (a lease of many events).
	 *
	 * @param array<int, array{0: int, 1: string, 2: string, 3: array<string, mixed>}> $entries [event id, kind, message, details] each.
	 */
	public function add_many( array $entries ): void {
		if ( array() === $entries ) {
			return;
		}
		$table = $this->db->table( OutboxSchema::EVENT_LOG );
		$now   = $this->clock->now();
		$user  = get_current_user_id();
		$rows  = array();
		$args  = array();
		foreach ( $entries as $entry ) {
			$rows[] = '(%d, %d, %s, %s, %s, %d)';
			array_push( $args, $entry[0], $now, $entry[1], $entry[2], (string) wp_json_encode( $entry[3] ), $user );
		}
		$this->db->query( "INSERT INTO {$table} (event_id, at, kind, message, details, user_id) VALUES " . implode( ', ', $rows ), $args );
	}

	/**
	 * The entries of one event, oldest first.
	 *
	 * @param int $event_id Event id.
	 * @return array<int, array<string, mixed>>
	 */
	public function for_event( int $event_id ): array {
		$table = $this->db->table( OutboxSchema::EVENT_LOG );
		return $this->db->rows( "SELECT * FROM {$table} WHERE event_id = %d ORDER BY id ASC LIMIT 500", array( $event_id ) );
	}
}

<?php
/**
 * One event with its history, and the trace of one order.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Exception\NotFound;
use Syncline\Infrastructure\Db;

/**
 * Read-only; every value is prepared by the Db proxy.
 */
final class EventDetailsQuery {

	/**
	 * Builds the query service.
	 *
	 * @param Db $db The database proxy.
	 */
	public function __construct( private Db $db ) {
	}

	/**
	 * An event, its last error and the ERP's answer, a summary of its payload, and its log.
	 *
	 * @param int      $id           Event id.
	 * @param int      $now          Unix time.
	 * @param callable $order_summary fn( int $order_id ): ?array — the order's number, status, total, SKUs.
	 * @return array<string, mixed>
	 * @throws NotFound When there is no such event.
	 */
	public function event( int $id, int $now, callable $order_summary ): array {
		$table = $this->db->table( 'events' );
		$row   = $this->db->row( "SELECT * FROM {$table} WHERE id = %d", array( $id ) );
		if ( ! is_array( $row ) ) {
			/* translators: %d: event id */
			throw new NotFound( sprintf( __( 'There is no event #%d.', 'syncline' ), $id ) );
		}
		$out                       = EventRows::summary( $row, $now );
		$out['last_error_details'] = EventRows::json( $row['last_error_details'] ?? null );
		$out['result']             = EventRows::json( $row['result'] ?? null );
		$out['payload_summary']    = 'order' === $out['object_type'] ? $order_summary( (int) $out['object_id'] ) : null;
		$out['log']                = $this->logs( array( $id ) )[ $id ] ?? array();
		return $out;
	}

	/**
	 * Every event of one order, oldest first, with ERP documents and log lines.
	 *
	 * @param int $order_id WooCommerce order id.
	 * @param int $now      Unix time.
	 * @return array<int, array<string, mixed>>
	 */
	public function order_events( int $order_id, int $now ): array {
		$table  = $this->db->table( 'events' );
		$rows   = $this->db->rows( "SELECT * FROM {$table} WHERE object_type = %s AND object_id = %d ORDER BY id ASC LIMIT 500", array( 'order', $order_id ) );
		$ids    = array_map( static fn( array $r ): int => (int) $r['id'], $rows );
		$logs   = $this->logs( $ids );
		$events = array();
		foreach ( $rows as $row ) {
			$event              = EventRows::summary( $row, $now );
			$result             = EventRows::json( $row['result'] ?? null );
			$event['documents'] = EventRows::documents( $result );
			$event['outcome']   = EventRows::outcome( $result );
			$event['log']       = $logs[ (int) $row['id'] ] ?? array();
			$events[]           = $event;
		}
		return $events;
	}

	/**
	 * Log lines per event id. Returns nothing when the log table does not exist yet.
	 *
	 * @param array<int, int> $ids Event ids.
	 * @return array<int, array<int, array<string, mixed>>>
	 */
	private function logs( array $ids ): array {
		if ( array() === $ids ) {
			return array();
		}
		$table = $this->db->table( 'event_log' );
		if ( ! $this->db->table_exists( $table ) ) {
			return array();
		}
		$marks = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$rows  = $this->db->rows( "SELECT * FROM {$table} WHERE event_id IN ({$marks}) ORDER BY id ASC LIMIT 2000", $ids );
		$out   = array();
		foreach ( $rows as $row ) {
			$out[ (int) $row['event_id'] ][] = EventRows::log_entry( $row );
		}
		return $out;
	}
}

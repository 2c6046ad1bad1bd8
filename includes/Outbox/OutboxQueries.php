<?php
/**
 * What operators do with the outbox: look at it, retry exceptions, discard them.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Exception\Conflict;
use Syncline\Exception\NotFound;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\SqlPage;

/**
 * The one service behind the admin REST routes and WP-CLI for outbox reads and manual actions.
 */
class OutboxQueries {

	/**
	 * Builds the service.
	 *
	 * @param Db       $db    Database.
	 * @param Clock    $clock Time.
	 * @param EventLog $log   Event history.
	 */
	public function __construct( private Db $db, private Clock $clock, private EventLog $log ) {
	}

	/**
	 * Number of events per state (every state present, zero when none).
	 *
	 * @return array<string, int>
	 */
	public function counts(): array {
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$counts = array_fill_keys( EventState::ALL, 0 );
		foreach ( $this->db->rows( "SELECT state, COUNT(*) AS n FROM {$table} GROUP BY state" ) as $row ) {
			$counts[ (string) $row['state'] ] = (int) $row['n'];
		}
		return $counts;
	}

	/**
	 * Seconds since the oldest pending event was recorded, or null when nothing is pending.
	 */
	public function oldest_pending_age(): ?int {
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$oldest = $this->db->value( "SELECT MIN(created_at) FROM {$table} WHERE state = %s", array( EventState::PENDING ) );
		return null === $oldest ? null : max( 0, $this->clock->now() - (int) $oldest );
	}

	/**
	 * One page of events, newest first unless $order says otherwise.
	 *
	 * @param string|null $state    Only this state.
	 * @param int         $page     1-based page.
	 * @param int         $per_page Page size.
	 * @param string      $order    ORDER BY ending with the unique id (SortArgs::EVENTS).
	 * @return array{total: int, rows: array<int, array<string, mixed>>}
	 */
	public function page( ?string $state, int $page, int $per_page, string $order = 'id DESC' ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$where = null === $state ? '1 = %d' : 'state = %s';
		$arg   = null === $state ? 1 : $state;
		return SqlPage::read( $this->db, '*', $table, $where, $order, array( $arg ), $page, $per_page, 'id' );
	}

	/**
	 * One event.
	 *
	 * @param int $id Event id.
	 * @return array<string, mixed>
	 * @throws NotFound When there is no such event.
	 */
	public function get( int $id ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$row   = $this->db->row( "SELECT * FROM {$table} WHERE id = %d", array( $id ) );
		if ( null === $row ) {
			throw NotFound::event( $id );
		}
		return $row;
	}

	/**
	 * Puts an exception back in the queue, due now, with its attempts reset. An event already waiting in the queue
	 * (e.g. put back with its order's sibling a moment before) is left as it is: that is what was asked.
	 *
	 * @param int $id Event id.
	 * @throws Conflict When the event is neither an exception nor waiting in the queue (leased, done, discarded).
	 */
	public function retry( int $id ): void {
		$row = $this->get( $id );
		if ( EventState::PENDING === $row['state'] ) {
			return;
		}
		$this->put_back( $id, $row );
	}

	/**
	 * Moves one exception back to the queue.
	 *
	 * @param int                  $id  Event id.
	 * @param array<string, mixed> $row Its row.
	 * @throws Conflict When the event is not in the exception queue.
	 */
	private function put_back( int $id, array $row ): void {
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$changed = $this->db->query(
			"UPDATE {$table} SET state = %s, available_at = %d, attempts = 0, updated_at = %d WHERE id = %d AND state = %s",
			array( EventState::PENDING, $this->clock->now(), $this->clock->now(), $id, EventState::NEEDS_HUMAN )
		);
		if ( 1 !== $changed ) {
			throw Conflict::state( $id, (string) $row['state'] );
		}
		$this->log->add( $id, 'retried', '', array( 'previous_error' => $row['last_error_code'] ) );
		if ( 'order' === $row['object_type'] ) {
			$this->retry_order_siblings( $id, (int) $row['object_id'] );
		}
	}

	/**
	 * Order sync is state-based, so the order's other exceptions (e.g. order.created and order.status_changed both
	 * stopped by one unmapped SKU) are one problem: once it is fixed, one retry puts them all back.
	 *
	 * @param int $id       The retried event.
	 * @param int $order_id Its order.
	 */
	private function retry_order_siblings( int $id, int $order_id ): void {
		$table    = $this->db->table( OutboxSchema::EVENTS );
		$siblings = array_map( 'intval', array_column( $this->db->rows( "SELECT id FROM {$table} WHERE object_type = 'order' AND object_id = %d AND state = %s AND id <> %d", array( $order_id, EventState::NEEDS_HUMAN, $id ) ), 'id' ) );
		foreach ( $siblings as $sibling ) {
			$this->db->query(
				"UPDATE {$table} SET state = %s, available_at = %d, attempts = 0, updated_at = %d WHERE id = %d AND state = %s",
				array( EventState::PENDING, $this->clock->now(), $this->clock->now(), $sibling, EventState::NEEDS_HUMAN )
			);
			$this->log->add( $sibling, 'retried', '', array( 'with_event' => $id ) );
		}
	}

	/**
	 * Retries every exception with this error code.
	 *
	 * @param string $code Error code, e.g. unmapped_sku.
	 * @return array<int, int> The ids put back in the queue.
	 */
	public function retry_by_code( string $code ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$ids   = array_map(
			'intval',
			array_column( $this->db->rows( "SELECT id FROM {$table} WHERE state = %s AND last_error_code = %s ORDER BY id", array( EventState::NEEDS_HUMAN, $code ) ), 'id' )
		);
		$this->retry_many( $ids );
		return $ids;
	}

	/**
	 * Retries some exceptions (an admin row's events, a bulk action); an event its order's sibling already put back
	 * waits in the queue as asked.
	 *
	 * @param array<int, int> $ids Event ids.
	 * @return array<int, int> The ids now waiting in the queue.
	 */
	public function retry_many( array $ids ): array {
		$done = array();
		foreach ( $ids as $id ) {
			try {
				$this->retry( $id );
				$done[] = $id;
			} catch ( Conflict $e ) {
				continue; // Leased, finished or gone since the list was read: nothing to put back.
			}
		}
		return $done;
	}

	/**
	 * Discards some exceptions, each keeping the reason in its log.
	 *
	 * @param array<int, int> $ids    Event ids.
	 * @param string          $reason Why.
	 * @return array<int, int> The ids discarded.
	 */
	public function discard_many( array $ids, string $reason ): array {
		$done = array();
		foreach ( $ids as $id ) {
			try {
				$this->discard( $id, $reason );
				$done[] = $id;
			} catch ( Conflict $e ) {
				continue; // Leased, finished or gone since the list was read.
			}
		}
		return $done;
	}

	/**
	 * Drops an exception (or a pending event), keeping the reason in its log.
	 *
	 * @param int    $id     Event id.
	 * @param string $reason Why.
	 * @throws Conflict When the event is leased or already finished.
	 */
	public function discard( int $id, string $reason ): void {
		$row     = $this->get( $id );
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$changed = $this->db->query(
			"UPDATE {$table} SET state = %s, pending_key = NULL, updated_at = %d WHERE id = %d AND state IN (%s, %s)",
			array( EventState::DISCARDED, $this->clock->now(), $id, EventState::NEEDS_HUMAN, EventState::PENDING )
		);
		if ( 1 !== $changed ) {
			throw Conflict::state( $id, (string) $row['state'] );
		}
		$this->log->add( $id, 'discarded', $reason, array( 'reason' => $reason ) );
	}
}

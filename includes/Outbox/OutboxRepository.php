<?php
/**
 * Claims and acknowledgements of outbox events (the sidecar's side of the outbox).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Exception\StorageError;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;

/**
 * Leases due events to workers and applies their acknowledgements, guarded by lease tokens.
 */
class OutboxRepository {

	/**
	 * Builds the repository.
	 *
	 * @param Db       $db    Database.
	 * @param Clock    $clock Time.
	 * @param EventLog $log   Event history.
	 */
	public function __construct( private Db $db, private Clock $clock, private EventLog $log ) {
	}

	/**
	 * Leases up to $limit due events to $worker: pending ones whose available_at has come, and leased ones whose
	 * lease expired; at most one leased event per object.
	 *
	 * @param string $worker        Worker id.
	 * @param int    $limit         Maximum events.
	 * @param int    $lease_seconds Lease length.
	 * @return array<int, array<string, mixed>> The leased rows.
	 * @throws StorageError When the claim lock cannot be taken.
	 */
	public function claim( string $worker, int $limit, int $lease_seconds ): array {
		// Why a named lock: the guarded UPDATE alone keeps two workers off the same row, but "one leased event
		// per object" spans rows, which no row guard can enforce. The lock serialises only this short
		// SELECT + UPDATE (never the long-poll wait), so contention costs milliseconds.
		$lock = $this->lock_name();
		if ( '1' !== (string) $this->db->value( 'SELECT GET_LOCK(%s, %d)', array( $lock, 10 ) ) ) {
			throw new StorageError( 'Could not take the claim lock.' );
		}
		try {
			$now    = $this->clock->now();
			$picked = $this->pick( $this->candidates( $now, $limit ), $now, $limit );
			return array() === $picked ? array() : $this->lease( $picked, $worker, $now, $lease_seconds );
		} finally {
			$this->db->value( 'SELECT RELEASE_LOCK(%s)', array( $lock ) );
		}
	}

	/**
	 * Due rows, oldest first: expired leases, then pending rows (both read through their state index).
	 *
	 * @param int $now   Now.
	 * @param int $limit Events wanted.
	 * @return array<int, array<string, mixed>>
	 */
	private function candidates( int $now, int $limit ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$scan  = max( 50, $limit * 5 );
		return $this->db->rows(
			"(SELECT id, object_type, object_id FROM {$table} WHERE state = %s AND leased_until < %d ORDER BY leased_until LIMIT %d)
			UNION ALL
			(SELECT id, object_type, object_id FROM {$table} WHERE state = %s AND available_at <= %d ORDER BY available_at, id LIMIT %d)",
			array( EventState::LEASED, $now, $scan, EventState::PENDING, $now, $scan )
		);
	}

	/**
	 * Keeps the first candidate per object and drops objects that hold a live lease.
	 *
	 * @param array<int, array<string, mixed>> $candidates Due rows.
	 * @param int                              $now        Now.
	 * @param int                              $limit      Events wanted.
	 * @return array<int, int> Event ids.
	 */
	private function pick( array $candidates, int $now, int $limit ): array {
		if ( array() === $candidates ) {
			return array();
		}
		$busy  = $this->objects_with_live_lease( $candidates, $now );
		$taken = array();
		$ids   = array();
		foreach ( $candidates as $row ) {
			$key = $row['object_type'] . ':' . $row['object_id'];
			if ( isset( $busy[ $key ] ) || isset( $taken[ $key ] ) ) {
				continue;
			}
			$taken[ $key ] = true;
			$ids[]         = (int) $row['id'];
			if ( count( $ids ) >= $limit ) {
				break;
			}
		}
		return $ids;
	}

	/**
	 * Objects among the candidates that already have an unexpired lease.
	 *
	 * @param array<int, array<string, mixed>> $candidates Due rows.
	 * @param int                              $now        Now.
	 * @return array<string, true> Keys "type:id".
	 */
	private function objects_with_live_lease( array $candidates, int $now ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$ids   = array_values( array_unique( array_map( static fn ( $r ) => (int) $r['object_id'], $candidates ) ) );
		$marks = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$rows  = $this->db->rows(
			"SELECT DISTINCT object_type, object_id FROM {$table} WHERE object_id IN ({$marks}) AND state = %s AND leased_until >= %d",
			array_merge( $ids, array( EventState::LEASED, $now ) )
		);
		$busy  = array();
		foreach ( $rows as $row ) {
			$busy[ $row['object_type'] . ':' . $row['object_id'] ] = true;
		}
		return $busy;
	}

	/**
	 * Leases the picked events with one guarded UPDATE (a new random token each) and reads them back.
	 *
	 * @param array<int, int> $ids           Event ids.
	 * @param string          $worker        Worker id.
	 * @param int             $now           Now.
	 * @param int             $lease_seconds Lease length.
	 * @return array<int, array<string, mixed>>
	 */
	private function lease( array $ids, string $worker, int $now, int $lease_seconds ): array {
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$cases  = '';
		$args   = array();
		$tokens = array();
		foreach ( $ids as $id ) {
			$tokens[ $id ] = bin2hex( random_bytes( 16 ) );
			$cases        .= ' WHEN %d THEN %s';
			array_push( $args, $id, $tokens[ $id ] );
		}
		$marks = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$this->db->query(
			"UPDATE {$table} SET lease_token = CASE id{$cases} END, state = %s, pending_key = NULL, lease_owner = %s,
				leased_until = %d, attempts = attempts + 1, updated_at = %d
			WHERE id IN ({$marks}) AND ( ( state = %s AND available_at <= %d ) OR ( state = %s AND leased_until < %d ) )",
			array_merge( $args, array( EventState::LEASED, $worker, $now + $lease_seconds, $now ), $ids, array( EventState::PENDING, $now, EventState::LEASED, $now ) )
		);
		$rows = $this->db->rows( "SELECT * FROM {$table} WHERE id IN ({$marks}) ORDER BY id", $ids );
		$out  = array();
		foreach ( $rows as $row ) {
			if ( ( $tokens[ (int) $row['id'] ] ?? '' ) === $row['lease_token'] && EventState::LEASED === $row['state'] ) {
				$out[] = $row;
				$this->log->add(
					(int) $row['id'],
					'leased',
					'',
					array(
						'worker'  => $worker,
						'attempt' => (int) $row['attempts'],
					)
				);
			}
		}
		return $out;
	}

	/**
	 * Marks a leased event done and stores its ERP refs; refused when the token no longer matches.
	 *
	 * @param int                  $id    Event id.
	 * @param string               $token Lease token.
	 * @param array<string, mixed> $refs  ERP refs.
	 */
	public function ack_done( int $id, string $token, array $refs ): bool {
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$leased = $this->db->rows( "SELECT object_type, object_id, updated_at FROM {$table} WHERE id = %d AND lease_token = %s", array( $id, $token ) );
		$done   = $this->finish( $id, $token, 'state = %s, result = %s', array( EventState::DONE, (string) wp_json_encode( $refs ) ), 'done', $refs );
		if ( $done && isset( $leased[0] ) && 'order' === $leased[0]['object_type'] ) {
			$this->coalesce_order_events( $id, (int) $leased[0]['object_id'], (int) $leased[0]['updated_at'] );
		}
		return $done;
	}

	/**
	 * Order sync is state-based: the done event pushed the order as it was when leased, which covers every other
	 * order event recorded strictly before that second. Those are closed as coalesced instead of re-running the
	 * same sync; events recorded in the lease's second or later stay pending (they may be newer than the payload).
	 *
	 * @param int $id        The done event.
	 * @param int $order_id  Its order.
	 * @param int $leased_at When it was leased (its updated_at while leased).
	 */
	private function coalesce_order_events( int $id, int $order_id, int $leased_at ): void {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$this->db->query(
			"UPDATE {$table} SET state = %s, pending_key = NULL, result = %s, updated_at = %d
			WHERE object_type = 'order' AND object_id = %d AND state = %s AND updated_at < %d AND id <> %d",
			array( EventState::DONE, (string) wp_json_encode( array( 'coalesced_into' => $id ) ), $this->clock->now(), $order_id, EventState::PENDING, $leased_at, $id )
		);
	}

	/**
	 * Puts a leased event back in the queue after a delay.
	 *
	 * @param int                  $id          Event id.
	 * @param string               $token       Lease token.
	 * @param int                  $retry_after Seconds until it is due again.
	 * @param array<string, mixed> $error       code, message, details.
	 */
	public function ack_retry( int $id, string $token, int $retry_after, array $error ): bool {
		$set = 'state = %s, available_at = %d, ' . $this->error_columns();
		return $this->finish( $id, $token, $set, array_merge( array( EventState::PENDING, $this->clock->now() + $retry_after ), $this->error_values( $error ) ), 'retry', $error );
	}

	/**
	 * Moves a leased event to the exception queue.
	 *
	 * @param int                  $id    Event id.
	 * @param string               $token Lease token.
	 * @param array<string, mixed> $error code, message, details.
	 */
	public function ack_needs_human( int $id, string $token, array $error ): bool {
		$set = 'state = %s, ' . $this->error_columns();
		return $this->finish( $id, $token, $set, array_merge( array( EventState::NEEDS_HUMAN ), $this->error_values( $error ) ), 'needs_human', $error );
	}

	/**
	 * The guarded end of a lease: changes the row only while it is leased with this token.
	 *
	 * @param int                  $id      Event id.
	 * @param string               $token   Lease token.
	 * @param string               $set     SET clause (placeholders).
	 * @param array<int, mixed>    $args    Its values.
	 * @param string               $kind    Log kind.
	 * @param array<string, mixed> $details Log details.
	 */
	private function finish( int $id, string $token, string $set, array $args, string $kind, array $details ): bool {
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$changed = $this->db->query(
			"UPDATE {$table} SET {$set}, pending_key = NULL, lease_token = NULL, leased_until = NULL, updated_at = %d
			WHERE id = %d AND state = %s AND lease_token = %s",
			array_merge( $args, array( $this->clock->now(), $id, EventState::LEASED, $token ) )
		);
		if ( 1 === $changed ) {
			$this->log->add( $id, $kind, (string) ( $details['message'] ?? '' ), $details );
		}
		return 1 === $changed;
	}

	/**
	 * SET fragment for the last error.
	 */
	private function error_columns(): string {
		return 'last_error_code = %s, last_error_message = %s, last_error_details = %s';
	}

	/**
	 * Values for error_columns().
	 *
	 * @param array<string, mixed> $error code, message, details.
	 * @return array<int, string>
	 */
	private function error_values( array $error ): array {
		return array(
			(string) ( $error['code'] ?? '' ),
			(string) ( $error['message'] ?? '' ),
			(string) wp_json_encode( $error['details'] ?? null ),
		);
	}

	/**
	 * The claim lock's name, scoped to this site's tables (named locks are server-wide).
	 */
	private function lock_name(): string {
		return 'syncline_claim_' . substr( md5( DB_NAME . '.' . $this->db->prefix() ), 0, 16 );
	}
}

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

	/** Claims without an answer after which an event goes to the exception queue (filter `syncline_max_claims`). */
	public const MAX_CLAIMS = 25;

	/** Codes of events the sidecar gave back without trying them: they do not use an attempt. */
	public const UNTRIED_CODES = array( 'sidecar_shutdown', 'lease_expiring', 'circuit_open', 'order_unavailable', 'lease_refused' );

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
	 * Events in $exclude (those the worker holds already) are never leased to it again. An event claimed
	 * max_claims() times without an answer goes to the exception queue (`too_many_attempts`) instead.
	 *
	 * @param string $worker        Worker id.
	 * @param int    $limit         Maximum events.
	 * @param int    $lease_seconds Lease length.
	 * @param int[]  $exclude       Event ids not to lease.
	 * @return array<int, array<string, mixed>> The leased rows.
	 * @throws StorageError When the claim lock cannot be taken.
	 */
	public function claim( string $worker, int $limit, int $lease_seconds, array $exclude = array() ): array {
		// Why a named lock: the guarded UPDATE alone keeps two workers off the same row, but "one leased event
		// per object" spans rows, which no row guard can enforce. The lock serialises only this short
		// SELECT + UPDATE (never the long-poll wait), so contention costs milliseconds.
		$lock = $this->lock_name();
		if ( '1' !== (string) $this->db->value( 'SELECT GET_LOCK(%s, %d)', array( $lock, 10 ) ) ) {
			throw new StorageError( 'Could not take the claim lock.' );
		}
		try {
			$now        = $this->clock->now();
			$candidates = $this->candidates( $now, $limit, $exclude );
			$candidates = $this->park_over_cap( $candidates, $now );
			$picked     = $this->pick( $candidates, $now, $limit );
			return array() === $picked ? array() : $this->lease( $picked, $worker, $now, $lease_seconds );
		} finally {
			$this->db->value( 'SELECT RELEASE_LOCK(%s)', array( $lock ) );
		}
	}

	/**
	 * Due rows, oldest first: expired leases, then pending rows (both read through their state index).
	 *
	 * @param int   $now     Now.
	 * @param int   $limit   Events wanted.
	 * @param int[] $exclude Event ids not to lease.
	 * @return array<int, array<string, mixed>>
	 */
	private function candidates( int $now, int $limit, array $exclude ): array {
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$scan    = max( 50, $limit * 5 );
		$exclude = array_values( array_unique( array_map( 'intval', $exclude ) ) );
		$not_in  = array() === $exclude ? '' : ' AND id NOT IN (' . implode( ',', array_fill( 0, count( $exclude ), '%d' ) ) . ')';
		return $this->db->rows(
			"(SELECT id, object_type, object_id, attempts FROM {$table} WHERE state = %s AND leased_until < %d{$not_in} ORDER BY leased_until LIMIT %d)
			UNION ALL
			(SELECT id, object_type, object_id, attempts FROM {$table} WHERE state = %s AND available_at <= %d{$not_in} ORDER BY available_at, id LIMIT %d)",
			array_merge( array( EventState::LEASED, $now ), $exclude, array( $scan, EventState::PENDING, $now ), $exclude, array( $scan ) )
		);
	}

	/**
	 * The cap in WordPress itself: a due event already claimed max_claims() times without an answer (a sidecar
	 * that crashes or times out on it every time) goes to the exception queue instead of being leased again.
	 *
	 * @param array<int, array<string, mixed>> $candidates Due rows.
	 * @param int                              $now        Now.
	 * @return array<int, array<string, mixed>> The candidates still to lease.
	 */
	private function park_over_cap( array $candidates, int $now ): array {
		$cap  = $this->max_claims();
		$keep = array();
		foreach ( $candidates as $row ) {
			if ( (int) $row['attempts'] < $cap ) {
				$keep[] = $row;
				continue;
			}
			$this->park( (int) $row['id'], (int) $row['attempts'], $now );
		}
		return $keep;
	}

	/**
	 * Moves one due event to the exception queue as too_many_attempts (guarded: only while still due).
	 *
	 * @param int $id       Event id.
	 * @param int $attempts Its attempts.
	 * @param int $now      Now.
	 */
	private function park( int $id, int $attempts, int $now ): void {
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$message = sprintf(
			/* translators: %d: number of times. */
			__( 'The sidecar took this event %d times without ever answering for it (it may crash or run out of time on this order). Check the sidecar log for this order and the ERP, then retry it here.', 'syncline' ),
			$attempts
		);
		$error   = array(
			'code'    => 'too_many_attempts',
			'message' => $message,
			'details' => array( 'attempts' => $attempts ),
		);
		$changed = $this->db->query(
			"UPDATE {$table} SET state = %s, " . $this->error_columns() . ', pending_key = NULL, lease_token = NULL, leased_until = NULL, updated_at = %d
			WHERE id = %d AND ( ( state = %s AND available_at <= %d ) OR ( state = %s AND leased_until < %d ) )',
			array_merge( array( EventState::NEEDS_HUMAN ), $this->error_values( $error ), array( $now, $id, EventState::PENDING, $now, EventState::LEASED, $now ) )
		);
		if ( 1 === $changed ) {
			$this->log->add( $id, 'needs_human', $message, $error );
		}
	}

	/**
	 * Claims without an answer before an event is parked (setting `max_claims` in syncline_settings, filter
	 * `syncline_max_claims`; default 25).
	 */
	private function max_claims(): int {
		$settings = get_option( 'syncline_settings' );
		$n        = is_array( $settings ) && is_int( $settings['max_claims'] ?? null ) ? $settings['max_claims'] : self::MAX_CLAIMS;
		return max( 1, (int) apply_filters( 'syncline_max_claims', $n ) );
	}

	/**
	 * Extends, by $lease_seconds from now, each lease $worker still holds with its token and that has not expired
	 * (an expired lease may already belong to another worker, or another event of the order may be leased).
	 * Does not touch updated_at: it marks when the lease began (see coalesce_order_events()).
	 *
	 * @param string             $worker        Worker id.
	 * @param array<int, string> $leases        Event id => lease token.
	 * @param int                $lease_seconds New lease length from now.
	 * @return array{renewed: array<int, array{id: int, leased_until: int}>, lost: array<int, int>}
	 */
	public function renew( string $worker, array $leases, int $lease_seconds ): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$now   = $this->clock->now();
		$pairs = array();
		$args  = array( $now + $lease_seconds, EventState::LEASED, $worker, $now );
		foreach ( $leases as $id => $token ) {
			$pairs[] = '( id = %d AND lease_token = %s )';
			array_push( $args, (int) $id, (string) $token );
		}
		$this->db->query(
			"UPDATE {$table} SET leased_until = GREATEST(leased_until, %d)
			WHERE state = %s AND lease_owner = %s AND leased_until >= %d AND ( " . implode( ' OR ', $pairs ) . ' )',
			$args
		);
		$ids   = array_map( 'intval', array_keys( $leases ) );
		$marks = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$rows  = $this->db->rows( "SELECT id, state, lease_token, lease_owner, leased_until FROM {$table} WHERE id IN ({$marks})", $ids );
		$held  = array();
		foreach ( $rows as $row ) {
			$id = (int) $row['id'];
			if ( EventState::LEASED === $row['state'] && $worker === $row['lease_owner'] && $leases[ $id ] === $row['lease_token'] && (int) $row['leased_until'] >= $now + $lease_seconds ) {
				$held[ $id ] = (int) $row['leased_until'];
			}
		}
		$out = array(
			'renewed' => array(),
			'lost'    => array(),
		);
		foreach ( $ids as $id ) {
			if ( isset( $held[ $id ] ) ) {
				$out['renewed'][] = array(
					'id'           => $id,
					'leased_until' => $held[ $id ],
				);
			} else {
				$out['lost'][] = $id;
			}
		}
		return $out;
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
		$rows    = $this->db->rows( "SELECT * FROM {$table} WHERE id IN ({$marks}) ORDER BY id", $ids );
		$out     = array();
		$entries = array();
		foreach ( $rows as $row ) {
			if ( ( $tokens[ (int) $row['id'] ] ?? '' ) === $row['lease_token'] && EventState::LEASED === $row['state'] ) {
				$out[]     = $row;
				$entries[] = array(
					(int) $row['id'],
					'leased',
					'',
					array(
						'worker'  => $worker,
						'attempt' => (int) $row['attempts'],
					),
				);
			}
		}
		$this->log->add_many( $entries );
		return $out;
	}

	/**
	 * The pending events of these orders with their write versions, read when their sibling is leased and before
	 * its payload is built: whatever the payload shows includes every one of these writes.
	 *
	 * @param array<int, int> $order_ids Order ids.
	 * @return array<int, array<int, array{id: int, version: int}>> Order id => its pending events.
	 */
	public function pending_versions( array $order_ids ): array {
		$order_ids = array_values( array_unique( array_map( 'intval', $order_ids ) ) );
		if ( array() === $order_ids ) {
			return array();
		}
		$table = $this->db->table( OutboxSchema::EVENTS );
		$marks = implode( ',', array_fill( 0, count( $order_ids ), '%d' ) );
		$rows  = $this->db->rows(
			"SELECT id, object_id, version FROM {$table} WHERE object_type = 'order' AND object_id IN ({$marks}) AND state = %s ORDER BY id LIMIT 1000",
			array_merge( $order_ids, array( EventState::PENDING ) )
		);
		$out   = array();
		foreach ( $rows as $row ) {
			$out[ (int) $row['object_id'] ][] = array(
				'id'      => (int) $row['id'],
				'version' => (int) $row['version'],
			);
		}
		return $out;
	}

	/**
	 * Marks a leased event done and stores its ERP refs; refused when the token no longer matches.
	 *
	 * For an order event, the other pending events of the order that the pushed payload already covered are closed
	 * as coalesced: with $covers (the pending events and write versions the lease saw, echoed by the sidecar) exactly
	 * those still at that version; without it (an older sidecar), those recorded strictly before the lease's second.
	 *
	 * @param int                                           $id     Event id.
	 * @param string                                        $token  Lease token.
	 * @param array<string, mixed>                          $refs   ERP refs.
	 * @param array<int, array{id: int, version: int}>|null $covers Pending events (and versions) the lease saw.
	 */
	public function ack_done( int $id, string $token, array $refs, ?array $covers = null ): bool {
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$leased = $this->db->rows( "SELECT object_type, object_id, updated_at FROM {$table} WHERE id = %d AND lease_token = %s", array( $id, $token ) );
		$done   = $this->finish( $id, $token, 'state = %s, result = %s', array( EventState::DONE, (string) wp_json_encode( $refs ) ), 'done', $refs );
		if ( ! $done || ! isset( $leased[0] ) || 'order' !== $leased[0]['object_type'] ) {
			return $done;
		}
		if ( null === $covers ) {
			$this->coalesce_order_events( $id, (int) $leased[0]['object_id'], (int) $leased[0]['updated_at'] );
		} elseif ( array() !== $covers ) {
			$this->coalesce_covered( $id, (int) $leased[0]['object_id'], $covers );
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
	 * The finer rule: closes the order's pending events the lease saw, each only while its version is still the one
	 * seen (a hook that wrote to it after the payload was read bumped the version: that write is pushed again).
	 *
	 * @param int                                      $id       The done event.
	 * @param int                                      $order_id Its order.
	 * @param array<int, array{id: int, version: int}> $covers   Pending events and versions the lease saw.
	 */
	private function coalesce_covered( int $id, int $order_id, array $covers ): void {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$pairs = array();
		$args  = array( EventState::DONE, (string) wp_json_encode( array( 'coalesced_into' => $id ) ), $this->clock->now(), $order_id, EventState::PENDING, $id );
		foreach ( $covers as $cover ) {
			$pairs[] = '( id = %d AND version = %d )';
			array_push( $args, (int) $cover['id'], (int) $cover['version'] );
		}
		$this->db->query(
			"UPDATE {$table} SET state = %s, pending_key = NULL, result = %s, updated_at = %d
			WHERE object_type = 'order' AND object_id = %d AND state = %s AND id <> %d AND ( " . implode( ' OR ', $pairs ) . ' )',
			$args
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
		if ( in_array( $error['code'] ?? '', self::UNTRIED_CODES, true ) ) {
			// Given back untried: the claim's attempt is refunded (an event claimed and never answered keeps it).
			$set .= ', attempts = GREATEST(attempts - 1, 0)';
		}
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

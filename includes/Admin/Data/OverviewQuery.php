<?php
/**
 * The Overview tab: sidecar heartbeats, stock freshness, queue counts, oldest pending event, 24 h of pushed orders.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Db;

/**
 * Reads the outbox and the `syncline_heartbeats` option the sidecar heartbeat route keeps.
 */
final class OverviewQuery {

	/** A sidecar that has not reported for this long is not live: 2.5 heartbeat intervals (it beats every 15 s). */
	public const STALE_AFTER_SECONDS = 38;

	/**
	 * Builds the query service.
	 *
	 * @param Db             $db         The database proxy.
	 * @param ExceptionQuery $exceptions Reason codes of the exception queue.
	 */
	public function __construct( private Db $db, private ExceptionQuery $exceptions ) {
	}

	/**
	 * The whole Overview payload.
	 *
	 * @param int                $now        Unix time.
	 * @param array<mixed>|mixed $heartbeats The `syncline_heartbeats` option.
	 * @return array<string, mixed>
	 */
	public function overview( int $now, $heartbeats ): array {
		$sidecar = self::sidecar( is_array( $heartbeats ) ? $heartbeats : array(), $now );
		$workers = $sidecar['workers'];
		return array(
			'server_time'                => $now,
			'sidecar'                    => $sidecar,
			'queue'                      => $this->counts(),
			'oldest_pending_age_seconds' => $this->oldest_pending_age( $now ),
			'exceptions_by_code'         => $this->exceptions->codes(),
			'pushed_24h'                 => $this->pushed_per_hour( $now ),
			'stock'                      => $this->stock( $workers, $now ),
		);
	}

	/**
	 * The stock sync's state from the freshest heartbeat that carries one (null: no sidecar syncs stock).
	 *
	 * @param array<int, array<string, mixed>> $workers Heartbeats, newest first.
	 * @param int                              $now     Unix time.
	 * @return array{worker: string, stale: bool, last_read_at: int|null, last_read_age_seconds: int|null, cap_percent: int|null}|null
	 */
	private function stock( array $workers, int $now ): ?array {
		foreach ( $workers as $w ) {
			$erp = $w['erp'];
			if ( ! is_array( $erp ) || null === $erp['stale'] ) {
				continue;
			}
			$read = is_numeric( $erp['last_read_at'] ) ? (int) $erp['last_read_at'] : null;
			$cap  = is_numeric( $erp['stock_cap_percent'] ) ? (int) $erp['stock_cap_percent'] : null;
			return array(
				'worker'                => (string) $w['worker'],
				'stale'                 => (bool) $erp['stale'],
				'last_read_at'          => $read,
				'last_read_age_seconds' => null === $read ? null : max( 0, $now - $read ),
				'cap_percent'           => $cap,
			);
		}
		return null;
	}

	/**
	 * The sidecars and the ERP as their heartbeats tell: workers (newest first, each live or not), the status
	 * (missing: never reported; stale: none live; erp_unreachable: live, but no live worker reaches the ERP with its
	 * circuit closed; ok) and the ERP as the live workers see it. Shared with `wp syncline status`.
	 *
	 * @param array<mixed> $heartbeats The `syncline_heartbeats` option, keyed by worker.
	 * @param int          $now        Unix time.
	 * @return array{status: string, stale_after_seconds: int, workers: array<int, array<string, mixed>>, erp: array<string, mixed>|null}
	 */
	public static function sidecar( array $heartbeats, int $now ): array {
		$workers = self::workers( $heartbeats, $now );
		$live    = array_values( array_filter( $workers, static fn( array $w ): bool => $w['live'] ) );
		$erp     = self::erp( $live );
		$status  = 'ok';
		if ( array() === $workers ) {
			$status = 'missing';
		} elseif ( array() === $live ) {
			$status = 'stale';
		} elseif ( null !== $erp && ! $erp['reachable'] ) {
			$status = 'erp_unreachable';
		}
		return array(
			'status'              => $status,
			'stale_after_seconds' => self::STALE_AFTER_SECONDS,
			'workers'             => $workers,
			'erp'                 => $erp,
		);
	}

	/**
	 * The ERP as the live workers see it: reachable when one of them reaches it with its circuit closed; otherwise
	 * since when (the earliest report) and whether a circuit is open; which ERP it is (type, version and name, e.g.
	 * "Odoo 17.0") as the newest live worker that names it reports. Null without a live worker reporting it.
	 *
	 * @param array<int, array<string, mixed>> $live Live workers, newest first.
	 * @return array{reachable: bool, circuit: string, unreachable_since: int|null, last_success_at: int|null, type: string|null, version: string|null, name: string|null}|null
	 */
	private static function erp( array $live ): ?array {
		$seen = array_values( array_filter( array_map( static fn( array $w ) => $w['erp'], $live ), static fn( $e ): bool => is_array( $e ) && null !== $e['reachable'] ) );
		if ( array() === $seen ) {
			return null;
		}
		$ok       = array_filter( $seen, static fn( array $e ): bool => true === $e['reachable'] && 'closed' === ( $e['circuit'] ?? 'closed' ) );
		$since    = array_filter( array_map( static fn( array $e ) => $e['unreachable_since'], $seen ), 'is_int' );
		$success  = array_filter( array_map( static fn( array $e ) => $e['last_success_at'], $seen ), 'is_int' );
		$circuits = array_map( static fn( array $e ): string => (string) ( $e['circuit'] ?? 'closed' ), $seen );
		$named    = array_values( array_filter( $seen, static fn( array $e ): bool => null !== ( $e['type'] ?? null ) ) );
		$type     = $named[0]['type'] ?? null;
		$version  = $named[0]['version'] ?? null;
		return array(
			'type'              => $type,
			'version'           => $version,
			'name'              => null === $type ? null : self::erp_name( $type, $version ),
			'reachable'         => array() !== $ok,
			'circuit'           => in_array( 'open', $circuits, true ) ? 'open' : ( in_array( 'half_open', $circuits, true ) ? 'half_open' : 'closed' ),
			'unreachable_since' => array() !== $ok || array() === $since ? null : min( $since ),
			'last_success_at'   => array() === $success ? null : max( $success ),
		);
	}

	/**
	 * The ERP as people know it, with the version its sidecar's ping answered: "Odoo 17.0", "Dolibarr 20.0.2".
	 *
	 * @param string      $type    The heartbeat's erp.type.
	 * @param string|null $version The heartbeat's erp.version (null: no ping answered yet).
	 */
	public static function erp_name( string $type, ?string $version ): string {
		return trim( SettingsStore::erp_label( $type ) . ' ' . (string) $version );
	}

	/**
	 * Heartbeats, newest first, whatever the exact key names the heartbeat route stores. Live: reported within
	 * STALE_AFTER_SECONDS and not stopped (a sidecar's last heartbeat on shutdown says stopped).
	 *
	 * @param array<mixed> $heartbeats Option value, keyed by worker.
	 * @param int          $now        Unix time.
	 * @return array<int, array<string, mixed>>
	 */
	private static function workers( array $heartbeats, int $now ): array {
		$out = array();
		foreach ( $heartbeats as $key => $hb ) {
			if ( ! is_array( $hb ) ) {
				continue;
			}
			$at    = $hb['received_at'] ?? $hb['at'] ?? $hb['seen_at'] ?? $hb['time'] ?? $hb['updated_at'] ?? null;
			$at    = is_numeric( $at ) ? (int) $at : null;
			$age   = null === $at ? null : max( 0, $now - $at );
			$erp   = isset( $hb['erp'] ) && is_array( $hb['erp'] ) ? $hb['erp'] : null;
			$stale = null === $age || $age > self::STALE_AFTER_SECONDS;
			$state = 'stopped' === ( $hb['state'] ?? null ) ? 'stopped' : 'running';
			$out[] = array(
				'worker'         => (string) ( $hb['worker'] ?? $key ),
				'version'        => isset( $hb['version'] ) ? (string) $hb['version'] : null,
				'uptime_seconds' => isset( $hb['uptime_seconds'] ) ? (int) $hb['uptime_seconds'] : null,
				'received_at'    => $at,
				'age_seconds'    => $age,
				'stale'          => $stale,
				'state'          => $state,
				'live'           => ! $stale && 'running' === $state,
				'erp'            => null === $erp ? null : array(
					'type'              => isset( $erp['type'] ) && is_string( $erp['type'] ) ? $erp['type'] : null,
					'version'           => isset( $erp['version'] ) && is_string( $erp['version'] ) ? $erp['version'] : null,
					'reachable'         => isset( $erp['reachable'] ) ? (bool) $erp['reachable'] : null,
					'circuit'           => isset( $erp['circuit'] ) ? str_replace( '-', '_', (string) $erp['circuit'] ) : null,
					'last_success_at'   => isset( $erp['last_success_at'] ) ? (int) $erp['last_success_at'] : null,
					'unreachable_since' => isset( $erp['unreachable_since'] ) && is_numeric( $erp['unreachable_since'] ) ? (int) $erp['unreachable_since'] : null,
					'stale'             => isset( $erp['stale'] ) ? (bool) $erp['stale'] : null,
					'last_read_at'      => isset( $erp['last_read_at'] ) && is_numeric( $erp['last_read_at'] ) ? (int) $erp['last_read_at'] : null,
					'stock_cap_percent' => isset( $erp['stock_cap_percent'] ) && is_numeric( $erp['stock_cap_percent'] ) ? (int) $erp['stock_cap_percent'] : null,
				),
				'counters'       => isset( $hb['counters'] ) && is_array( $hb['counters'] ) ? array_map( 'intval', $hb['counters'] ) : array(),
			);
		}
		usort( $out, static fn( array $a, array $b ): int => (int) $b['received_at'] <=> (int) $a['received_at'] );
		return $out;
	}

	/**
	 * Event counts per state (every state present, zero when empty).
	 *
	 * @return array<string, int>
	 */
	private function counts(): array {
		$counts = array_fill_keys( array( 'pending', 'leased', 'done', 'needs_human', 'discarded' ), 0 );
		$table  = $this->db->table( 'events' );
		$rows   = $this->db->rows( "SELECT state, COUNT(*) AS n FROM {$table} GROUP BY state" );
		foreach ( $rows as $row ) {
			$counts[ (string) $row['state'] ] = (int) $row['n'];
		}
		return $counts;
	}

	/**
	 * Age of the oldest event not yet sent (pending or leased).
	 *
	 * @param int $now Unix time.
	 */
	private function oldest_pending_age( int $now ): ?int {
		$table  = $this->db->table( 'events' );
		$oldest = $this->db->value( "SELECT MIN(created_at) FROM {$table} WHERE state IN (%s, %s)", array( 'pending', 'leased' ) );
		return null === $oldest ? null : max( 0, $now - (int) $oldest );
	}

	/**
	 * Orders pushed per hour over the last 24 hours (24 buckets, oldest first): orders with an event done in that hour
	 * that did something in the ERP (its ack's `steps` not empty). Events closed by another event's push, replays
	 * that found everything there, stock and product events are not orders pushed; an order pushed twice in one
	 * hour (e.g. created, then refunded) counts once.
	 *
	 * @param int $now Unix time.
	 * @return array<int, array{hour_start: int, count: int}>
	 */
	private function pushed_per_hour( int $now ): array {
		$start   = intdiv( $now, 3600 ) * 3600 - 23 * 3600;
		$table   = $this->db->table( 'events' );
		$rows    = $this->db->rows(
			"SELECT FLOOR((updated_at - %d) / 3600) AS b, COUNT(DISTINCT object_id) AS n FROM {$table}
			WHERE state = %s AND object_type = %s AND updated_at >= %d AND result LIKE %s AND result NOT LIKE %s GROUP BY b",
			array( $start, 'done', 'order', $start, '%"steps":[%', '%"steps":[]%' )
		);
		$buckets = array();
		for ( $i = 0; $i < 24; $i++ ) {
			$buckets[ $i ] = array(
				'hour_start' => $start + $i * 3600,
				'count'      => 0,
			);
		}
		foreach ( $rows as $row ) {
			$b = (int) $row['b'];
			if ( isset( $buckets[ $b ] ) ) {
				$buckets[ $b ]['count'] = (int) $row['n'];
			}
		}
		return array_values( $buckets );
	}
}

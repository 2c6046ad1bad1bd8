<?php
/**
 * `wp syncline bench hook-overhead`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\OrderHooks;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxSchema;

/**
 * Measures what Syncline adds to a WooCommerce order hook.
 */
class BenchCommand {

	private const FIRST_ID = 2000000000;

	/**
	 * Builds the command.
	 *
	 * @param Db         $db    Database (to remove the rows the bench wrote).
	 * @param OrderHooks $hooks Syncline's order listener, the thing timed.
	 */
	public function __construct( private Db $db, private OrderHooks $hooks ) {
	}

	/**
	 * Times Syncline's own order listener (the outbox INSERT included) and prints one JSON line.
	 *
	 * Listener loop: calls OrderHooks::record for synthetic order ids, after --warmup untimed calls; each timed
	 * call is interleaved with an empty action and a `SELECT 1` through the same connection, so the report shows
	 * what a bare database round trip costs on this machine at the same moment (on a busy machine the tail is
	 * the round trip's, not Syncline's). Only Syncline's listener runs: firing the action would time every other
	 * listener too. The first call of the process (class loading, correlation namespace) is reported apart.
	 *
	 * With --orders=N, also places N real WooCommerce orders (line of a stock-managed product, save,
	 * payment_complete) and times only Syncline's registered listeners inside WooCommerce's own actions:
	 * per order the sum of their calls (created, status changed, paid, stock reduced) and their queries.
	 *
	 * `*_cpu_*` figures are the CPU time this process spent in the timed code (getrusage): Syncline's own cost
	 * without the waits for the database server and for a CPU, which dominate the wall-clock tail on a busy
	 * machine (compare `hook_p99_us` with `db_roundtrip_p99_us`).
	 *
	 * Every row the bench wrote (and the orders and product it created) is deleted afterwards.
	 *
	 * ## OPTIONS
	 *
	 * [--count=<n>]
	 * : Timed listener calls.
	 * ---
	 * default: 5000
	 * ---
	 *
	 * [--warmup=<n>]
	 * : Untimed calls first.
	 * ---
	 * default: 500
	 * ---
	 *
	 * [--orders=<n>]
	 * : Real WooCommerce orders to place with Syncline's listeners timed (0: none).
	 * ---
	 * default: 0
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline bench hook-overhead --count=5000 --orders=300
	 *
	 * @subcommand hook-overhead
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function hook_overhead( array $args, array $assoc ): void {
		$count  = max( 1, min( 100000, (int) ( $assoc['count'] ?? 5000 ) ) );
		$warmup = max( 0, min( 100000, (int) ( $assoc['warmup'] ?? 500 ) ) );
		$orders = max( 0, min( 10000, (int) ( $assoc['orders'] ?? 0 ) ) );
		global $wp_version;
		$line = array(
			'bench'       => 'hook-overhead',
			'wordpress'   => (string) $wp_version,
			'woocommerce' => defined( 'WC_VERSION' ) ? (string) constant( 'WC_VERSION' ) : null,
			'count'       => $count,
			'warmup'      => $warmup,
		) + $this->listener_loop( $count, $warmup );
		if ( $orders > 0 ) {
			try {
				$line += self::orders_report( ( new BenchOrders( $this->db ) )->run( $orders ) );
			} catch ( \RuntimeException $e ) {
				\WP_CLI::error( $e->getMessage() );
			}
		}
		\WP_CLI::line( (string) wp_json_encode( $line ) );
	}

	/**
	 * The listener loop.
	 *
	 * @param int $count  Timed calls.
	 * @param int $warmup Untimed calls first.
	 * @return array<string, float|int>
	 */
	private function listener_loop( int $count, int $warmup ): array {
		global $wpdb;
		$hook    = array();
		$cpu     = array();
		$noop    = array();
		$db      = array();
		$queries = 0;
		try {
			$t0 = hrtime( true );
			$this->hooks->record( 'order.created', self::FIRST_ID );
			$first = ( hrtime( true ) - $t0 ) / 1000;
			for ( $i = 1; $i <= $warmup; $i++ ) {
				$this->hooks->record( 'order.created', self::FIRST_ID + $i );
			}
			for ( $i = $warmup + 1; $i <= $warmup + $count; $i++ ) {
				$t0 = hrtime( true );
				do_action( 'syncline_bench_noop', self::FIRST_ID + $i );
				$t1 = hrtime( true );
				$this->db->value( 'SELECT 1' );
				$t2 = hrtime( true );
				$q0 = (int) $wpdb->num_queries;
				$c0 = ListenerTimer::cpu_us();
				$t3 = hrtime( true );
				$this->hooks->record( 'order.created', self::FIRST_ID + $i );
				$t4       = hrtime( true );
				$cpu[]    = ListenerTimer::cpu_us() - $c0;
				$queries += (int) $wpdb->num_queries - $q0;
				$noop[]   = ( $t1 - $t0 ) / 1000;
				$db[]     = ( $t2 - $t1 ) / 1000;
				$hook[]   = ( $t4 - $t3 ) / 1000;
			}
		} finally {
			$table = $this->db->table( OutboxSchema::EVENTS );
			$this->db->query( "DELETE FROM {$table} WHERE object_type = %s AND object_id >= %d", array( 'order', self::FIRST_ID ) );
		}
		return array(
			'hook_first_call_us' => round( $first, 1 ),
			'queries_per_call'   => round( $queries / $count, 2 ),
		) + self::stats( 'hook', $hook ) + self::stats( 'hook_cpu', $cpu ) + self::stats( 'db_roundtrip', $db ) + self::stats( 'noop_action', $noop );
	}

	/**
	 * Per order: the sum of Syncline's listener calls, their number and queries.
	 *
	 * @param array<int, array<int, array{0: string, 1: float, 2: int, 3: float}>> $per_order Timed calls per order.
	 * @return array<string, float|int>
	 */
	private static function orders_report( array $per_order ): array {
		$sums    = array();
		$calls   = 0;
		$queries = 0;
		$cpu     = array();
		$single  = array();
		foreach ( $per_order as $timed ) {
			$sums[] = array_sum( array_column( $timed, 1 ) );
			$cpu[]  = array_sum( array_column( $timed, 3 ) );
			$calls += count( $timed );
			foreach ( $timed as $call ) {
				$queries += $call[2];
				$single[] = $call[1];
			}
		}
		$n = max( 1, count( $per_order ) );
		return array(
			'orders'                     => count( $per_order ),
			'listener_calls_per_order'   => round( $calls / $n, 2 ),
			'listener_queries_per_order' => round( $queries / $n, 2 ),
		) + self::stats( 'order_listeners', $sums ) + self::stats( 'order_listeners_cpu', $cpu ) + self::stats( 'order_listener_call', $single );
	}

	/**
	 * Percentiles in microseconds.
	 *
	 * @param string            $name    Key prefix.
	 * @param array<int, float> $samples Samples (µs).
	 * @return array<string, float>
	 */
	private static function stats( string $name, array $samples ): array {
		if ( array() === $samples ) {
			return array();
		}
		sort( $samples );
		$at = static fn ( float $p ) => round( $samples[ (int) min( count( $samples ) - 1, floor( $p * count( $samples ) ) ) ], 1 );
		return array(
			"{$name}_p50_us"  => $at( 0.5 ),
			"{$name}_p95_us"  => $at( 0.95 ),
			"{$name}_p99_us"  => $at( 0.99 ),
			"{$name}_max_us"  => round( (float) end( $samples ), 1 ),
			"{$name}_mean_us" => round( array_sum( $samples ) / count( $samples ), 1 ),
		);
	}
}

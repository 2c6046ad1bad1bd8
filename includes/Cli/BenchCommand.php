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
	 * Times Syncline's own woocommerce_new_order listener (the outbox INSERT included) for synthetic order ids,
	 * and prints its per-call latency as one JSON line. Only Syncline's listener runs: firing the action itself
	 * would time every other plugin's listener too (and WooCommerce's own ones expect a real order object). The
	 * rows it wrote are deleted afterwards.
	 *
	 * ## OPTIONS
	 *
	 * [--count=<n>]
	 * : Number of hook calls.
	 * ---
	 * default: 1000
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline bench hook-overhead --count=2000
	 *
	 * @subcommand hook-overhead
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function hook_overhead( array $args, array $assoc ): void {
		$count = max( 1, min( 100000, (int) ( $assoc['count'] ?? 1000 ) ) );
		$hook  = array();
		$noop  = array();
		try {
			for ( $i = 0; $i < $count; $i++ ) {
				$t0 = hrtime( true );
				do_action( 'syncline_bench_noop', self::FIRST_ID + $i );
				$t1 = hrtime( true );
				$this->hooks->record( 'order.created', self::FIRST_ID + $i );
				$t2     = hrtime( true );
				$noop[] = ( $t1 - $t0 ) / 1000;
				$hook[] = ( $t2 - $t1 ) / 1000;
			}
		} finally {
			$table = $this->db->table( OutboxSchema::EVENTS );
			$this->db->query( "DELETE FROM {$table} WHERE object_type = %s AND object_id >= %d", array( 'order', self::FIRST_ID ) );
		}
		\WP_CLI::line( (string) wp_json_encode( array( 'count' => $count ) + self::stats( 'hook', $hook ) + self::stats( 'noop_action', $noop ) ) );
	}

	/**
	 * Percentiles in microseconds.
	 *
	 * @param string            $name    Key prefix.
	 * @param array<int, float> $samples Samples (µs).
	 * @return array<string, float>
	 */
	private static function stats( string $name, array $samples ): array {
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

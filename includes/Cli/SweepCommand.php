<?php
/**
 * `wp syncline sweep [--days=<n>] [--dry-run]`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\OrderSweep;

/**
 * Runs the sweep the hourly WP-Cron event runs: orders without any outbox event get one.
 */
class SweepCommand {

	/**
	 * Builds the command.
	 *
	 * @param OrderSweep $sweep The sweep.
	 */
	public function __construct( private OrderSweep $sweep ) {
	}

	/**
	 * Finds orders of the last N days (and orders whose outbox write failed) that have no outbox event, and enqueues them.
	 *
	 * ## OPTIONS
	 *
	 * [--days=<n>]
	 * : How far back to look, in days (1 to 365).
	 * ---
	 * default: 7
	 * ---
	 *
	 * [--dry-run]
	 * : List them; enqueue nothing.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline sweep
	 *     wp syncline sweep --days=30 --dry-run
	 *
	 * @param array<int, string>         $args  Positional arguments.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		$days = (string) ( $assoc['days'] ?? (string) OrderSweep::DEFAULT_DAYS );
		if ( 1 !== preg_match( '/^[1-9]\d{0,2}$/', $days ) || (int) $days > 365 ) {
			\WP_CLI::error( __( '--days is a whole number from 1 to 365.', 'syncline' ) );
		}
		$dry    = ! empty( $assoc['dry-run'] );
		$result = $this->sweep->sweep( (int) $days, $dry );
		$list   = array() === $result['missing'] ? '' : ': ' . implode( ', ', $result['missing'] );
		if ( $dry ) {
			/* translators: 1: orders checked, 2: orders without an event, 3: their ids. */
			\WP_CLI::log( sprintf( __( '%1$d order(s) checked, %2$d without an outbox event%3$s', 'syncline' ), $result['checked'], count( $result['missing'] ), $list ) );
			return;
		}
		/* translators: 1: orders checked, 2: orders enqueued, 3: their ids. */
		\WP_CLI::success( sprintf( __( '%1$d order(s) checked, %2$d enqueued%3$s', 'syncline' ), $result['checked'], $result['enqueued'], $list ) );
	}
}

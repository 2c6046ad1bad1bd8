<?php
/**
 * `wp syncline schedules [--format=…]`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\OrderSweep;
use Syncline\Hooks\RunLog;
use Syncline\Hooks\Schedules;

/**
 * Lists Syncline's WP-Cron jobs: interval, last run and its outcome, next run, and a warning when a run is
 * missing (not scheduled, or overdue: WP-Cron fires only when the site gets traffic, or when a system cron calls
 * wp-cron.php; DISABLE_WP_CRON without such a cron means never).
 */
class SchedulesCommand {

	/**
	 * Builds the command.
	 *
	 * @param RunLog $runs Run records.
	 */
	public function __construct( private RunLog $runs ) {
	}

	/**
	 * Lists Syncline's WP-Cron schedules.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline schedules
	 *     wp syncline schedules --format=json
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		$rows   = $this->rows( time() );
		$fields = array( 'hook', 'interval_s', 'last_run', 'outcome', 'message', 'next_run', 'warning' );
		\WP_CLI\Utils\format_items( (string) ( $assoc['format'] ?? 'table' ), $rows, $fields );
		foreach ( $rows as $row ) {
			if ( '' !== $row['warning'] && 'table' === ( $assoc['format'] ?? 'table' ) ) {
				\WP_CLI::warning( $row['hook'] . ': ' . $row['warning'] );
			}
		}
	}

	/**
	 * One row per job.
	 *
	 * @param int $now Current time.
	 * @return array<int, array{hook: string, interval_s: int|null, last_run: string, outcome: string, message: string, next_run: string, warning: string}>
	 */
	public function rows( int $now ): array {
		$runs      = $this->runs->all();
		$schedules = wp_get_schedules();
		$out       = array();
		foreach ( array( Schedules::STOCK_PULL_HOOK, OrderSweep::CRON_HOOK ) as $hook ) {
			$event    = wp_get_scheduled_event( $hook );
			$interval = false !== $event && isset( $event->interval ) ? (int) $event->interval : null;
			if ( false !== $event && is_string( $event->schedule ) && isset( $schedules[ $event->schedule ]['interval'] ) ) {
				$interval = (int) $schedules[ $event->schedule ]['interval'];
			}
			$next  = false !== $event ? (int) $event->timestamp : null;
			$run   = $runs[ $hook ] ?? null;
			$out[] = array(
				'hook'       => $hook,
				'interval_s' => $interval,
				'last_run'   => null !== $run ? gmdate( 'Y-m-d H:i:s', $run['last_run'] ) . ' UTC' : '',
				'outcome'    => null !== $run ? $run['outcome'] : '',
				'message'    => null !== $run ? $run['message'] : '',
				'next_run'   => null !== $next ? gmdate( 'Y-m-d H:i:s', $next ) . ' UTC' : '',
				'warning'    => self::warning( $now, $next, $interval ),
			);
		}
		return $out;
	}

	/**
	 * Why a job may not run when it should ('' when on time).
	 *
	 * @param int      $now      Current time.
	 * @param int|null $next     Next run (null: not scheduled).
	 * @param int|null $interval Interval in seconds.
	 */
	private static function warning( int $now, ?int $next, ?int $interval ): string {
		if ( null === $next ) {
			return __( 'not scheduled: deactivate and activate the plugin', 'syncline' );
		}
		$late = $now - $next;
		if ( $late > max( 60, (int) ( $interval ?? 0 ) ) ) {
			/* translators: %d: minutes. */
			$text = sprintf( __( 'missed: overdue by %d minutes (WP-Cron runs only when the site gets traffic; add a system cron for wp-cron.php)', 'syncline' ), (int) ( $late / 60 ) );
			return defined( 'DISABLE_WP_CRON' ) && constant( 'DISABLE_WP_CRON' ) ? $text . ' ' . __( '(DISABLE_WP_CRON is set)', 'syncline' ) : $text;
		}
		return '';
	}
}

<?php
/**
 * `wp syncline schedules [--format=…]`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\ScheduleReport;

/**
 * Lists Syncline's WP-Cron jobs: interval, last run with its duration and outcome, next run, and a warning when a
 * run is missing or overdue (ScheduleReport).
 */
class SchedulesCommand {

	public const FIELDS = array( 'hook', 'interval_s', 'last_run', 'duration_ms', 'outcome', 'message', 'next_run', 'warning' );

	/**
	 * Builds the command.
	 *
	 * @param ScheduleReport $report The jobs' report.
	 */
	public function __construct( private ScheduleReport $report ) {
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
		$format = (string) ( $assoc['format'] ?? 'table' );
		\WP_CLI\Utils\format_items( $format, $rows, self::FIELDS );
		foreach ( $rows as $row ) {
			if ( '' !== $row['warning'] && 'table' === $format ) {
				\WP_CLI::warning( $row['hook'] . ': ' . $row['warning'] );
			}
		}
	}

	/**
	 * One row per job.
	 *
	 * @param int $now Current time.
	 * @return array<int, array<string, mixed>>
	 */
	public function rows( int $now ): array {
		return $this->report->rows( $now );
	}
}

<?php
/**
 * Last run, duration and outcome of each Syncline WP-Cron job.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Options;

/**
 * One option (`syncline_schedule_runs`): hook => {last_run, duration_ms, outcome (ok|failed), message}. Read by
 * `wp syncline schedules`, `wp syncline status` and the Overview; the next run comes from WP-Cron itself.
 */
class RunLog {

	public const OPTION = 'syncline_schedule_runs';

	/**
	 * Builds the log.
	 *
	 * @param Options $options Options.
	 */
	public function __construct( private Options $options ) {
	}

	/**
	 * Runs a job and records when it ran, how long it took and how it ended; never throws into WP-Cron.
	 *
	 * @param string   $hook Cron hook.
	 * @param callable $job  Returns a short summary.
	 */
	public function run( string $hook, callable $job ): void {
		$t0 = microtime( true );
		try {
			$message = (string) $job();
			$this->record( $hook, 'ok', $message, self::ms_since( $t0 ) );
		} catch ( \Throwable $e ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- cron has no one else to tell.
			error_log( sprintf( 'Syncline %s failed: %s', $hook, $e->getMessage() ) );
			$this->record( $hook, 'failed', $e->getMessage(), self::ms_since( $t0 ) );
		}
	}

	/**
	 * Records a run.
	 *
	 * @param string $hook        Cron hook.
	 * @param string $outcome     ok|failed.
	 * @param string $message     Summary.
	 * @param int    $duration_ms How long it took.
	 */
	public function record( string $hook, string $outcome, string $message, int $duration_ms = 0 ): void {
		$all          = $this->all();
		$all[ $hook ] = array(
			'last_run'    => time(),
			'duration_ms' => $duration_ms,
			'outcome'     => $outcome,
			'message'     => substr( $message, 0, 500 ),
		);
		$this->options->set( self::OPTION, $all );
	}

	/**
	 * Every recorded run.
	 *
	 * @return array<string, array{last_run: int, duration_ms: int, outcome: string, message: string}>
	 */
	public function all(): array {
		$value = $this->options->get( self::OPTION, array() );
		$out   = array();
		foreach ( is_array( $value ) ? $value : array() as $hook => $run ) {
			if ( is_array( $run ) ) {
				$out[ (string) $hook ] = array(
					'last_run'    => (int) ( $run['last_run'] ?? 0 ),
					'duration_ms' => (int) ( $run['duration_ms'] ?? 0 ),
					'outcome'     => (string) ( $run['outcome'] ?? '' ),
					'message'     => (string) ( $run['message'] ?? '' ),
				);
			}
		}
		return $out;
	}

	/**
	 * Milliseconds since a microtime.
	 *
	 * @param float $t0 Start.
	 */
	private static function ms_since( float $t0 ): int {
		return (int) round( ( microtime( true ) - $t0 ) * 1000 );
	}
}

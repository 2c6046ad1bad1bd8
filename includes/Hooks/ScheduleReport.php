<?php
/**
 * What each Syncline WP-Cron job did last and when it runs next.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

/**
 * One row per job: interval, last run with its duration and outcome, next run, and a warning when a run is missing
 * (not scheduled, or overdue: WP-Cron fires only when the site gets traffic or a system cron calls wp-cron.php;
 * DISABLE_WP_CRON without such a cron means never). Read by `wp syncline schedules`, `wp syncline status` and the
 * admin Overview.
 */
class ScheduleReport {

	/**
	 * The jobs' cron hooks, read when a report is made (jobs added by modules after the report was built count).
	 *
	 * @var \Closure(): array<int, string>
	 */
	private \Closure $hooks;

	/**
	 * Builds the report.
	 *
	 * @param RunLog                                            $runs  Run records.
	 * @param array<int, string>|\Closure(): array<int, string> $hooks The jobs' cron hooks (or what gives them).
	 */
	public function __construct( private RunLog $runs, array|\Closure $hooks ) {
		$this->hooks = is_array( $hooks ) ? static fn () => $hooks : $hooks;
	}

	/**
	 * The report of the jobs of some schedules (plus the sweep).
	 *
	 * @param RunLog         $runs      Run records.
	 * @param Schedules|null $schedules The schedules (null: the built-in jobs).
	 */
	public static function of( RunLog $runs, ?Schedules $schedules ): self {
		return new self(
			$runs,
			static fn () => array_merge( null !== $schedules ? array_keys( $schedules->jobs() ) : array( Schedules::STOCK_PULL_HOOK ), array( OrderSweep::CRON_HOOK ) )
		);
	}

	/**
	 * One row per job.
	 *
	 * @param int $now Current time.
	 * @return array<int, array{hook: string, interval_s: int|null, last_run: string, duration_ms: int|null, outcome: string, message: string, next_run: string, warning: string, last_run_at: int|null, next_run_at: int|null}>
	 */
	public function rows( int $now ): array {
		$runs      = $this->runs->all();
		$schedules = wp_get_schedules();
		$out       = array();
		foreach ( ( $this->hooks )() as $hook ) {
			$event    = wp_get_scheduled_event( $hook );
			$interval = false !== $event && isset( $event->interval ) ? (int) $event->interval : null;
			if ( false !== $event && is_string( $event->schedule ) && isset( $schedules[ $event->schedule ]['interval'] ) ) {
				$interval = (int) $schedules[ $event->schedule ]['interval'];
			}
			$next  = false !== $event ? (int) $event->timestamp : null;
			$run   = $runs[ $hook ] ?? null;
			$out[] = array(
				'hook'        => $hook,
				'interval_s'  => $interval,
				'last_run'    => null !== $run ? gmdate( 'Y-m-d H:i:s', $run['last_run'] ) . ' UTC' : '',
				'duration_ms' => null !== $run ? $run['duration_ms'] : null,
				'outcome'     => null !== $run ? $run['outcome'] : '',
				'message'     => null !== $run ? $run['message'] : '',
				'next_run'    => null !== $next ? gmdate( 'Y-m-d H:i:s', $next ) . ' UTC' : '',
				'warning'     => self::warning( $now, $next, $interval ),
				'last_run_at' => null !== $run ? $run['last_run'] : null,
				'next_run_at' => $next,
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
			return __( 'not scheduled: it is scheduled again on the next page load (or deactivate and activate the plugin)', 'syncline' );
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

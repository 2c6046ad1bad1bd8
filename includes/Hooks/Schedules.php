<?php
/**
 * Syncline's WP-Cron schedules.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\OutboxWriter;

/**
 * The recurring jobs, each only enqueueing work for the sidecar (the sidecar stays the only thing that talks to the
 * ERP), each with its interval in Settings:
 * - ATS full pull (`syncline_stock_pull`, `stock_pull_minutes`, 5–1440, default 60): a `stock.resync` event;
 * - reconciliation (`syncline_reconcile`, `reconcile_hours`, 1–168, default 24): a run over the last 7 days and its
 *   `reconcile.run` event;
 * - master data sync (`syncline_products_sync`, `products_sync_minutes`, 15–10080, default 1440): a full
 *   `products.sync` event (added by the products module with products_job());
 * - and the hourly sweep for orders without an outbox event (OrderSweep).
 * Scheduled on activation and healed on every `init` (a site updated without reactivation, a cleared cron option,
 * an interval changed in Settings: the missing or stale event is (re)scheduled); cleared on deactivation and
 * uninstall. Each run is recorded in RunLog (start, duration, outcome). WP-Cron fires only on traffic (or a system
 * cron calling wp-cron.php), so a schedule can be late: `wp syncline schedules` and the Overview say so.
 */
class Schedules implements Registerable {

	public const STOCK_PULL_HOOK  = 'syncline_stock_pull';
	public const STOCK_PULL_TOPIC = 'stock.resync';
	public const INTERVAL_NAME    = 'syncline_stock_pull';
	public const DEFAULT_MINUTES  = 60;
	public const MIN_MINUTES      = 5;
	public const MAX_MINUTES      = 1440;
	public const SETTINGS_FIELD   = 'stock_pull_minutes';
	public const RECONCILE_HOOK   = 'syncline_reconcile';
	public const PRODUCTS_HOOK    = 'syncline_products_sync';

	/**
	 * The jobs by hook.
	 *
	 * @var array<string, ScheduledJob>
	 */
	private array $jobs = array();

	/**
	 * Builds the schedules.
	 *
	 * @param OutboxWriter  $writer    Outbox writer.
	 * @param Options       $options   Options (settings).
	 * @param RunLog        $runs      Run records.
	 * @param callable|null $reconcile Queues a reconciliation run; returns a summary (null: no reconciliation job).
	 */
	public function __construct( private OutboxWriter $writer, private Options $options, private RunLog $runs, ?callable $reconcile = null ) {
		$this->add( self::stock_pull_job( fn () => $this->pull() ) );
		if ( null !== $reconcile ) {
			$this->add( self::reconcile_job( \Closure::fromCallable( $reconcile ) ) );
		}
	}

	/**
	 * Adds a job (before register()).
	 *
	 * @param ScheduledJob $job Job.
	 */
	public function add( ScheduledJob $job ): void {
		$this->jobs[ $job->hook ] = $job;
	}

	/**
	 * The jobs by hook.
	 *
	 * @return array<string, ScheduledJob>
	 */
	public function jobs(): array {
		return $this->jobs;
	}

	/** Adds the intervals, the jobs, the self-healing and the rescheduling on a settings change. */
	public function register(): void {
		// phpcs:ignore WordPress.WP.CronInterval.ChangeDetected -- every interval is validated: at least 5 minutes.
		add_filter( 'cron_schedules', fn ( $schedules ) => $this->intervals( is_array( $schedules ) ? $schedules : array() ) );
		foreach ( $this->jobs as $hook => $job ) {
			add_action( $hook, fn () => $this->runs->run( $hook, $job->work ) );
		}
		add_action( 'init', fn () => $this->schedule(), 20 );
		add_action( 'update_option_' . Options::SETTINGS, fn () => $this->schedule(), 10, 0 );
		add_action( 'add_option_' . Options::SETTINGS, fn () => $this->schedule(), 10, 0 );
	}

	/**
	 * Adds Syncline's intervals to WP-Cron's.
	 *
	 * @param array<string, mixed> $schedules WP-Cron's schedules.
	 * @return array<string, mixed>
	 */
	public function intervals( array $schedules ): array {
		$settings = $this->options->get( Options::SETTINGS, array() );
		foreach ( $this->jobs as $hook => $job ) {
			$units              = $job->units_of( $settings );
			$schedules[ $hook ] = array(
				'interval' => $units * $job->unit,
				/* translators: 1: number, 2: minutes or hours, 3: job. */
				'display'  => sprintf( __( 'Every %1$d %2$s (%3$s)', 'syncline' ), $units, 3600 === $job->unit ? __( 'hours', 'syncline' ) : __( 'minutes', 'syncline' ), $job->label ),
			);
		}
		return $schedules;
	}

	/**
	 * Schedules every job that is missing, and reschedules one whose interval no longer matches Settings (its next
	 * run then follows the new interval from now). Cheap when nothing is due: WP-Cron's option is autoloaded.
	 */
	public function schedule(): void {
		OrderSweep::schedule();
		$settings = $this->options->get( Options::SETTINGS, array() );
		foreach ( $this->jobs as $hook => $job ) {
			$seconds = $job->units_of( $settings ) * $job->unit;
			$event   = wp_get_scheduled_event( $hook );
			if ( false !== $event && $hook === $event->schedule && (int) ( $event->interval ?? 0 ) === $seconds ) {
				continue;
			}
			if ( false !== $event ) {
				wp_clear_scheduled_hook( $hook );
			}
			// The stock pull first runs in a minute, other jobs after one interval; a changed interval counts from now.
			wp_schedule_event( time() + ( false === $event && self::STOCK_PULL_HOOK === $hook ? 60 : $seconds ), $hook, $hook );
		}
	}

	/** Clears every Syncline job (deactivation, uninstall). */
	public static function unschedule(): void {
		OrderSweep::unschedule();
		wp_clear_scheduled_hook( self::STOCK_PULL_HOOK );
		wp_clear_scheduled_hook( self::RECONCILE_HOOK );
		wp_clear_scheduled_hook( self::PRODUCTS_HOOK );
	}

	/**
	 * The stock pull's interval in minutes stored in some settings (the default when missing or invalid).
	 *
	 * @param mixed $settings Stored settings.
	 */
	public static function minutes_of( $settings ): int {
		return self::stock_pull_job( static fn () => '' )->units_of( $settings );
	}

	/**
	 * Whether a value is a valid stock pull interval in minutes.
	 *
	 * @param mixed $value Candidate.
	 */
	public static function valid_minutes( $value ): bool {
		return self::stock_pull_job( static fn () => '' )->valid( $value );
	}

	/**
	 * The interval settings of the built-in jobs (Settings validates and stores them), by settings field.
	 *
	 * @return array<string, ScheduledJob>
	 */
	public static function interval_jobs(): array {
		$none = static fn () => '';
		$out  = array();
		foreach ( array( self::stock_pull_job( $none ), self::reconcile_job( $none ), self::products_job( $none ) ) as $job ) {
			$out[ $job->field ] = $job;
		}
		return $out;
	}

	/**
	 * The reconciliation job: queues a run over the last 7 days every `reconcile_hours` (1–168, default 24).
	 *
	 * @param \Closure $work What it does.
	 */
	private static function reconcile_job( \Closure $work ): ScheduledJob {
		return new ScheduledJob( self::RECONCILE_HOOK, 'reconcile_hours', 3600, 24, 1, 168, 'Syncline reconciliation', $work );
	}

	/**
	 * The master data job: queues a full products sync every `products_sync_minutes` (15–10080, default daily).
	 *
	 * @param \Closure $work What it does.
	 */
	public static function products_job( \Closure $work ): ScheduledJob {
		return new ScheduledJob( self::PRODUCTS_HOOK, 'products_sync_minutes', 60, 1440, 15, 10080, 'Syncline master data sync', $work );
	}

	/**
	 * The stock pull job.
	 *
	 * @param \Closure $work What it does.
	 */
	private static function stock_pull_job( \Closure $work ): ScheduledJob {
		return new ScheduledJob( self::STOCK_PULL_HOOK, self::SETTINGS_FIELD, 60, self::DEFAULT_MINUTES, self::MIN_MINUTES, self::MAX_MINUTES, 'Syncline stock pull', $work );
	}

	/** What the stock pull job does: one outbox event for the sidecar. */
	private function pull(): string {
		$this->writer->record( self::STOCK_PULL_TOPIC, 'stock', 0 );
		return 'stock.resync queued';
	}
}

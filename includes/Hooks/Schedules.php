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
 * The ATS full pull (`syncline_stock_pull`): every N minutes (Settings `stock_pull_minutes`, 5–1440, default 60)
 * it enqueues the `stock.resync` event the sidecar already handles; the sidecar stays the only thing that talks to
 * the ERP. Scheduled on activation and when the interval changes, cleared on deactivation and uninstall. Each run
 * is recorded in RunLog. WP-Cron fires only on traffic (or a system cron calling wp-cron.php), so a schedule can
 * be late: `wp syncline schedules` says so.
 */
class Schedules implements Registerable {

	public const STOCK_PULL_HOOK  = 'syncline_stock_pull';
	public const STOCK_PULL_TOPIC = 'stock.resync';
	public const INTERVAL_NAME    = 'syncline_stock_pull';
	public const DEFAULT_MINUTES  = 60;
	public const MIN_MINUTES      = 5;
	public const MAX_MINUTES      = 1440;
	public const SETTINGS_FIELD   = 'stock_pull_minutes';

	/**
	 * Builds the schedules.
	 *
	 * @param OutboxWriter $writer  Outbox writer.
	 * @param Options      $options Options (settings).
	 * @param RunLog       $runs    Run records.
	 */
	public function __construct( private OutboxWriter $writer, private Options $options, private RunLog $runs ) {
	}

	/** Adds the interval, the job and the rescheduling on a settings change. */
	public function register(): void {
		// phpcs:ignore WordPress.WP.CronInterval.ChangeDetected -- the interval is validated: at least MIN_MINUTES (5).
		add_filter( 'cron_schedules', fn ( $schedules ) => $this->intervals( is_array( $schedules ) ? $schedules : array() ) );
		add_action( self::STOCK_PULL_HOOK, fn () => $this->runs->run( self::STOCK_PULL_HOOK, fn () => $this->pull() ) );
		add_action( 'update_option_' . Options::SETTINGS, fn ( $old, $new ) => $this->maybe_reschedule( $old, $new ), 10, 2 );
		add_action( 'add_option_' . Options::SETTINGS, fn ( $name, $value ) => $this->maybe_reschedule( array(), $value ), 10, 2 );
	}

	/**
	 * Adds Syncline's interval to WP-Cron's.
	 *
	 * @param array<string, mixed> $schedules WP-Cron's schedules.
	 * @return array<string, mixed>
	 */
	public function intervals( array $schedules ): array {
		$minutes                          = self::minutes_of( $this->options->get( Options::SETTINGS, array() ) );
		$schedules[ self::INTERVAL_NAME ] = array(
			'interval' => $minutes * 60,
			/* translators: %d: minutes. */
			'display'  => sprintf( __( 'Every %d minutes (Syncline stock pull)', 'syncline' ), $minutes ),
		);
		return $schedules;
	}

	/** Schedules every Syncline job that is not scheduled yet (activation). */
	public function schedule(): void {
		OrderSweep::schedule();
		if ( false === wp_next_scheduled( self::STOCK_PULL_HOOK ) ) {
			wp_schedule_event( time() + 60, self::INTERVAL_NAME, self::STOCK_PULL_HOOK );
		}
	}

	/** Clears every Syncline job (deactivation, uninstall). */
	public static function unschedule(): void {
		OrderSweep::unschedule();
		wp_clear_scheduled_hook( self::STOCK_PULL_HOOK );
	}

	/**
	 * The interval in minutes stored in some settings (the default when missing or invalid).
	 *
	 * @param mixed $settings Stored settings.
	 */
	public static function minutes_of( $settings ): int {
		$value = is_array( $settings ) ? ( $settings[ self::SETTINGS_FIELD ] ?? null ) : null;
		return self::valid_minutes( $value ) ? (int) $value : self::DEFAULT_MINUTES;
	}

	/**
	 * Whether a value is a valid interval in minutes.
	 *
	 * @param mixed $value Candidate.
	 */
	public static function valid_minutes( $value ): bool {
		if ( is_string( $value ) && 1 === preg_match( '/^\s*\d{1,4}\s*$/', $value ) ) {
			$value = (int) $value;
		}
		return is_int( $value ) && $value >= self::MIN_MINUTES && $value <= self::MAX_MINUTES;
	}

	/** What the stock pull job does: one outbox event for the sidecar. */
	private function pull(): string {
		$this->writer->record( self::STOCK_PULL_TOPIC, 'stock', 0 );
		return 'stock.resync queued';
	}

	/**
	 * Reschedules the stock pull when its interval changed, so the next run follows the new interval.
	 *
	 * @param mixed $old Old settings.
	 * @param mixed $new New settings.
	 */
	private function maybe_reschedule( $old, $new ): void {
		if ( self::minutes_of( $old ) === self::minutes_of( $new ) || false === wp_next_scheduled( self::STOCK_PULL_HOOK ) ) {
			return;
		}
		wp_clear_scheduled_hook( self::STOCK_PULL_HOOK );
		wp_schedule_event( time() + self::minutes_of( $new ) * 60, self::INTERVAL_NAME, self::STOCK_PULL_HOOK );
	}
}

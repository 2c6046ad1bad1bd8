<?php
/**
 * The master data schedule (WP-Cron): it only enqueues a full `products.sync` for the sidecar.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Hooks\RunLog;
use Syncline\Infrastructure\Registerable;

/**
 * Every `products_sync_minutes` (Settings, 15–10080, default 1440): one `products.sync` event (request 0, coalesced
 * while pending). Scheduled on activation and, for sites that were active before, on the first `init` that finds
 * it missing; rescheduled when the interval changes; cleared on deactivation.
 */
class ProductsSchedule implements Registerable {

	public const HOOK     = 'syncline_products_sync';
	public const INTERVAL = 'syncline_products_sync';

	/**
	 * Builds the schedule.
	 *
	 * @param string           $plugin_file Absolute path of plugin.php.
	 * @param SyncRequests     $requests    Sync requests.
	 * @param ProductsSettings $settings    Settings.
	 * @param RunLog           $runs        Run records.
	 */
	public function __construct( private string $plugin_file, private SyncRequests $requests, private ProductsSettings $settings, private RunLog $runs ) {
	}

	/** Adds the interval, the job, self-healing scheduling and clearing on deactivation. */
	public function register(): void {
		// phpcs:ignore WordPress.WP.CronInterval.ChangeDetected -- at least 15 minutes (ProductsSettings::minutes).
		add_filter( 'cron_schedules', fn ( $s ) => $this->intervals( is_array( $s ) ? $s : array() ) );
		add_action( self::HOOK, fn () => $this->runs->run( self::HOOK, fn () => $this->job() ) );
		add_action( 'init', fn () => $this->ensure() );
		register_activation_hook( $this->plugin_file, fn () => $this->ensure() );
		register_deactivation_hook( $this->plugin_file, array( self::class, 'unschedule' ) );
	}

	/**
	 * Adds the interval.
	 *
	 * @param array<string, mixed> $schedules WP-Cron's schedules.
	 * @return array<string, mixed>
	 */
	public function intervals( array $schedules ): array {
		$minutes                     = $this->settings->minutes();
		$schedules[ self::INTERVAL ] = array(
			'interval' => $minutes * 60,
			/* translators: %d: minutes. */
			'display'  => sprintf( __( 'Every %d minutes (Syncline master data sync)', 'syncline' ), $minutes ),
		);
		return $schedules;
	}

	/** Schedules the job when missing, or again when its interval no longer matches the setting. */
	public function ensure(): void {
		$event = wp_get_scheduled_event( self::HOOK );
		if ( false !== $event && (int) ( $event->interval ?? 0 ) === $this->settings->minutes() * 60 ) {
			return;
		}
		wp_clear_scheduled_hook( self::HOOK );
		wp_schedule_event( time() + 300, self::INTERVAL, self::HOOK );
	}

	/** Clears the job (deactivation). */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/** The job: one outbox event. */
	private function job(): string {
		$this->requests->queue( array(), false );
		return 'products.sync queued';
	}
}

<?php
/**
 * Finds orders that never reached the outbox and enqueues them.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * An order created in the last N days (or remembered by MissedOrders) that has no outbox event at all gets an
 * `order.missed` event; the sidecar then pushes it like any other (its lookup by external reference keeps that
 * exactly-once). Runs hourly on WP-Cron (`syncline_sweep`, scheduled on activation, cleared on deactivation)
 * and on demand (`wp syncline sweep`).
 */
class OrderSweep implements Registerable {

	public const CRON_HOOK    = 'syncline_sweep';
	public const TOPIC        = 'order.missed';
	public const DEFAULT_DAYS = 7;
	/** Most recent orders checked per run (newest first). */
	public const MAX_ORDERS = 5000;

	/**
	 * Builds the sweep.
	 *
	 * @param Db           $db     Database (which orders have events).
	 * @param OutboxWriter $writer Outbox writer.
	 * @param OrderIds     $orders WooCommerce's orders.
	 * @param MissedOrders $missed Orders whose hook write failed.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private OrderIds $orders, private MissedOrders $missed ) {
	}

	/** Runs the sweep on its cron hook. */
	public function register(): void {
		add_action( self::CRON_HOOK, fn () => $this->run_quietly() );
	}

	/** Schedules the hourly sweep (activation). */
	public static function schedule(): void {
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + 300, 'hourly', self::CRON_HOOK );
		}
	}

	/** Removes the schedule (deactivation). */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	/**
	 * Finds the orders without any outbox event and, unless dry, enqueues them.
	 *
	 * @param int  $days    Window: orders created in the last $days days.
	 * @param bool $dry_run Only report.
	 * @return array{checked: int, missing: array<int, int>, enqueued: int}
	 */
	public function sweep( int $days = self::DEFAULT_DAYS, bool $dry_run = false ): array {
		$since      = time() - max( 1, $days ) * 86400;
		$remembered = array_keys( $this->missed->all() );
		$recent     = $this->orders->created_since( $since, array(), self::MAX_ORDERS, true );
		$candidates = array_values( array_unique( array_merge( $recent, array_keys( $this->orders->statuses( $remembered ) ) ) ) );
		$missing    = array_values( array_diff( $candidates, $this->with_events( $candidates ) ) );
		if ( $dry_run ) {
			return array(
				'checked'  => count( $candidates ),
				'missing'  => $missing,
				'enqueued' => 0,
			);
		}
		$enqueued = 0;
		foreach ( $missing as $id ) {
			$this->writer->record( self::TOPIC, 'order', $id );
			++$enqueued;
		}
		// Every remembered order now has an event, or no longer exists.
		$this->missed->forget( $remembered );
		return array(
			'checked'  => count( $candidates ),
			'missing'  => $missing,
			'enqueued' => $enqueued,
		);
	}

	/** The cron run: logs instead of throwing into WP-Cron. */
	private function run_quietly(): void {
		try {
			$result = $this->sweep();
			if ( $result['enqueued'] > 0 ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- an operator should know the sweep found something.
				error_log( sprintf( 'Syncline sweep: %d order(s) had no outbox event and were enqueued: %s', $result['enqueued'], implode( ', ', $result['missing'] ) ) );
			}
		} catch ( \Throwable $e ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- cron has no one else to tell.
			error_log( 'Syncline sweep failed: ' . $e->getMessage() );
		}
	}

	/**
	 * Which of these orders have at least one outbox event.
	 *
	 * @param array<int, int> $ids Order ids.
	 * @return array<int, int>
	 */
	private function with_events( array $ids ): array {
		$have  = array();
		$table = $this->db->table( OutboxSchema::EVENTS );
		foreach ( array_chunk( $ids, 500 ) as $chunk ) {
			$marks = implode( ', ', array_fill( 0, count( $chunk ), '%d' ) );
			foreach ( $this->db->rows( "SELECT DISTINCT object_id FROM {$table} WHERE object_type = 'order' AND object_id IN ({$marks})", $chunk ) as $row ) {
				$have[] = (int) $row['object_id'];
			}
		}
		return $have;
	}
}

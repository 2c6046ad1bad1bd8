<?php
/**
 * WooCommerce stock hooks: in-flight accounting.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Registerable;
use Syncline\Stock\InFlight;
use Syncline\Stock\StockApplier;

/**
 * On woocommerce_reduce_order_stock: one multi-row INSERT into the in-flight table; on
 * woocommerce_restore_order_stock the rows become restored (and a restore of stock the ERP already counted is taken back, relatively).
 * Failures are logged, never thrown into checkout.
 */
class StockHooks implements Registerable {

	/**
	 * Builds the hooks.
	 *
	 * @param InFlight     $inflight In-flight rows.
	 * @param StockApplier $applier  The one writer of stock (the compensating decrement, with status, lookup and caches).
	 */
	public function __construct( private InFlight $inflight, private StockApplier $applier ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		add_action( 'woocommerce_reduce_order_stock', fn ( $order ) => $this->guard( fn () => $this->inflight->reduced( $this->id_of( $order ), $order ) ), 10, 1 );
		add_action( 'woocommerce_restore_order_stock', fn ( $order ) => $this->guard( fn () => $this->restored( $this->id_of( $order ) ) ), 10, 1 );
	}

	/**
	 * The order id of an order object.
	 *
	 * @param mixed $order Order.
	 */
	private function id_of( $order ): int {
		return is_object( $order ) && method_exists( $order, 'get_id' ) ? (int) $order->get_id() : 0;
	}

	/**
	 * Marks the rows restored; takes back what the ERP already counted through the applier (relative, like
	 * checkout, and keeping stock status, lookup table and caches right).
	 *
	 * @param int $order_id Order id.
	 */
	private function restored( int $order_id ): void {
		$this->applier->take_back( $this->inflight->restored( $order_id ) );
	}

	/**
	 * Runs a hook's work; logs instead of throwing.
	 *
	 * @param callable $work Work.
	 */
	private function guard( callable $work ): void {
		try {
			$work();
		} catch ( \Throwable $e ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- checkout must not fail because of Syncline.
			error_log( 'Syncline stock hook: ' . $e->getMessage() );
		}
	}
}

<?php
/**
 * Real WooCommerce orders for `wp syncline bench hook-overhead --orders=N`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\OrderHooks;
use Syncline\Hooks\StockHooks;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxSchema;
use Syncline\Stock\StockTables;

/**
 * Places orders the way a checkout does (WooCommerce's own APIs: order with a line of a stock-managed product,
 * save, payment_complete, which moves the status and reduces stock) with Syncline's registered listeners timed by
 * ListenerTimer, then deletes the orders, the product and the rows Syncline wrote for them. Mail is not sent.
 */
final class BenchOrders {

	/** The actions Syncline listens to on the checkout path. */
	private const ACTIONS = array(
		'woocommerce_new_order',
		'woocommerce_order_status_changed',
		'woocommerce_payment_complete',
		'woocommerce_reduce_order_stock',
	);

	/**
	 * Builds the runner.
	 *
	 * @param Db $db Database (cleanup of Syncline's rows).
	 */
	public function __construct( private Db $db ) {
	}

	/**
	 * Places $count orders; per order the timed calls of Syncline's listeners.
	 *
	 * @param int $count Orders.
	 * @return array<int, array<int, array{0: string, 1: float, 2: int, 3: float}>>
	 * @throws \RuntimeException Without WooCommerce or without Syncline's listeners registered.
	 */
	public function run( int $count ): array {
		if ( ! class_exists( '\WC_Order' ) || ! class_exists( '\WC_Product_Simple' ) ) {
			throw new \RuntimeException( 'WooCommerce is not active.' );
		}
		$timer = new ListenerTimer();
		if ( 0 === $timer->wrap( self::ACTIONS, array( OrderHooks::class, StockHooks::class ) ) ) {
			throw new \RuntimeException( 'Syncline\'s order listeners are not registered.' );
		}
		add_filter( 'pre_wp_mail', '__return_false' );
		$product = new \WC_Product_Simple();
		$product->set_name( 'Syncline bench' );
		$product->set_sku( 'SYNCLINE-BENCH-' . wp_generate_password( 8, false ) );
		$product->set_regular_price( '10.00' );
		$product->set_manage_stock( true );
		$product->set_stock_quantity( 1000000 );
		$product->save();
		$per_order = array();
		$ids       = array();
		try {
			for ( $i = 0; $i < $count; $i++ ) {
				$order = new \WC_Order();
				$order->add_product( $product, 1 );
				$order->set_billing_email( 'bench@example.invalid' );
				$order->calculate_totals();
				$order->save();
				$ids[] = $order->get_id();
				$order->payment_complete( 'bench-' . $i );
				$per_order[] = $timer->take();
			}
		} finally {
			$timer->restore();
			remove_filter( 'pre_wp_mail', '__return_false' );
			$this->clean( $ids, $product );
		}
		return $per_order;
	}

	/**
	 * Deletes the orders, the product and Syncline's rows for them.
	 *
	 * @param array<int, int>    $ids     Order ids.
	 * @param \WC_Product_Simple $product Product.
	 */
	private function clean( array $ids, \WC_Product_Simple $product ): void {
		foreach ( $ids as $id ) {
			$order = wc_get_order( $id );
			if ( $order instanceof \WC_Order ) {
				$order->delete( true );
			}
		}
		$product->delete( true );
		foreach ( array_chunk( $ids, 500 ) as $chunk ) {
			$marks = implode( ', ', array_fill( 0, count( $chunk ), '%d' ) );
			$this->db->query( 'DELETE FROM ' . $this->db->table( OutboxSchema::EVENTS ) . " WHERE object_type = 'order' AND object_id IN ({$marks})", $chunk );
			$this->db->query( 'DELETE FROM ' . $this->db->table( StockTables::INFLIGHT ) . " WHERE order_id IN ({$marks})", $chunk );
		}
	}
}

<?php
/**
 * What Syncline's listeners cost on the checkout path.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Stock;

use Syncline\Cli\ListenerTimer;
use Syncline\Hooks\OrderHooks;
use Syncline\Hooks\StockHooks;
use Syncline\Stock\OrderLines;
use Syncline\Stock\StockTables;

/**
 * Query budget of the hot path, and the SKU the in-flight row gets without building the product object.
 */
final class CheckoutListenerTest extends StockTestCase {

	/**
	 * @testdox on a checkout, Syncline's stock listener makes one query (the in-flight INSERT) and builds no product object
	 */
	public function test_reduce_listener_one_query(): void {
		$this->product( 'A', 10 );
		$this->product( 'B', 10 );
		$timer = new ListenerTimer();
		$this->assertGreaterThan( 0, $timer->wrap( array( 'woocommerce_reduce_order_stock' ), array( StockHooks::class ) ), 'the stock listener is registered' );
		try {
			$order = $this->checkout(
				array(
					'A' => 2,
					'B' => 1,
				)
			);
			$calls = $timer->take();
		} finally {
			$timer->restore();
		}
		$this->assertCount( 1, $calls, 'one stock reduction' );
		$this->assertSame( 1, $calls[0][2], 'one query: the multi-row INSERT' );
		$built = 0;
		$count = static function ( $sku ) use ( &$built ) {
			++$built;
			return $sku;
		};
		add_filter( 'woocommerce_product_get_sku', $count );
		try {
			$lines = ( new OrderLines() )->reduced( wc_get_order( $order ) );
		} finally {
			remove_filter( 'woocommerce_product_get_sku', $count );
		}
		$this->assertSame( 0, $built, 'no product object read for its SKU' );
		$this->assertEquals(
			array(
				$this->p . 'A' => 2,
				$this->p . 'B' => 1,
			),
			$lines
		);
		$this->assertSame(
			array(
				$this->p . 'A' => 2,
				$this->p . 'B' => 1,
			),
			$this->inflight( $order )
		);
	}

	/**
	 * @testdox a variation without a SKU of its own is in flight under its parent's SKU, as WooCommerce reports it
	 */
	public function test_variation_inherits_parent_sku(): void {
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'Variations need the real WooCommerce.' );
		}
		$parent = $this->product( 'P', 0 );
		( new \WC_Product_Variable( $parent ) )->save();
		$variation = new \WC_Product_Variation();
		$variation->set_parent_id( $parent );
		$variation->set_regular_price( '5' );
		$variation->set_manage_stock( true );
		$variation->set_stock_quantity( 10 );
		$variation->save();
		$this->assertSame( $this->p . 'P', wc_get_product( $variation->get_id() )->get_sku(), 'WooCommerce: the parent\'s SKU' );
		$order = wc_create_order();
		$order->add_product( wc_get_product( $variation->get_id() ), 3 );
		$order->save();
		wc_reduce_stock_levels( $order->get_id() );
		$this->assertSame( array( $this->p . 'P' => 3 ), $this->inflight( $order->get_id() ) );
	}

	/**
	 * @testdox Syncline's order listener makes one query per order action (the outbox INSERT)
	 */
	public function test_order_listener_one_query(): void {
		$this->product( 'A', 10 );
		$timer = new ListenerTimer();
		$timer->wrap( array( 'woocommerce_new_order', 'woocommerce_order_status_changed', 'woocommerce_payment_complete' ), array( OrderHooks::class ) );
		try {
			$this->checkout( array( 'A' => 1 ) );
			$calls = $timer->take();
		} finally {
			$timer->restore();
		}
		$this->assertNotEmpty( $calls );
		foreach ( $calls as $call ) {
			$this->assertSame( 1, $call[2], $call[0] . ': one query' );
		}
	}

	/**
	 * In-flight quantity per SKU of an order.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, int>
	 */
	private function inflight( int $order_id ): array {
		$rows = $this->db->rows( 'SELECT sku, qty FROM ' . $this->db->table( StockTables::INFLIGHT ) . ' WHERE order_id = %d ORDER BY sku', array( $order_id ) );
		return array_combine( array_column( $rows, 'sku' ), array_map( 'intval', array_column( $rows, 'qty' ) ) );
	}
}

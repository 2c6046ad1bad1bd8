<?php
/**
 * What the lease and ack paths ask of WooCommerce per order (issue 7: WordPress CPU per pushed order).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Woo;

use Syncline\Tests\Integration\IntegrationTestCase;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * Priming a lease's orders gives the same payloads as reading each alone, and storing ERP refs is not a save of
 * the order (on HPOS and on posts storage: the suite runs both).
 */
final class OrderSourceCostTest extends IntegrationTestCase {

	/**
	 * @testdox payloads of primed orders equal those read one by one, in fewer queries; each primed order is used once
	 */
	public function test_prime(): void {
		global $wpdb;
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'needs real WooCommerce (its batch order read)' );
		}
		$ids = array();
		for ( $i = 0; $i < 4; $i++ ) {
			$ids[] = syncline_test_create_order(
				array(
					'set_paid'   => true,
					'status'     => 'processing',
					'line_items' => array(
						array(
							'sku'      => 'PRIME-' . $i,
							'quantity' => 1,
							'subtotal' => '10.00',
							'total'    => '10.00',
						),
					),
				)
			);
		}
		$alone  = array();
		$source = new WooCommerceOrderSource();
		$this->flush();
		$before = $wpdb->num_queries;
		foreach ( $ids as $id ) {
			$alone[ $id ] = $source->order_payload( $id )->order;
		}
		$alone_queries = $wpdb->num_queries - $before;

		$this->flush();
		$before = $wpdb->num_queries;
		$source->prime( $ids );
		foreach ( $ids as $id ) {
			$this->assertSame( $alone[ $id ], $source->order_payload( $id )->order, "order $id" );
		}
		$primed_queries = $wpdb->num_queries - $before;
		$this->assertLessThan( $alone_queries, $primed_queries, 'the batch read saves queries' );

		// Used once: an order changed after its payload was built is read afresh by the next lease.
		$order = wc_get_order( $ids[0] );
		$order->set_customer_note( 'changed after the lease' );
		$order->save();
		$this->assertSame( 'changed after the lease', $source->order_payload( $ids[0] )->order['customer_note'] ?? null );
	}

	/**
	 * @testdox storing ERP refs writes the meta only: no woocommerce_update_order, the modified date stays, an unchanged set is not written again
	 */
	public function test_store_refs_is_not_a_save(): void {
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'needs real WooCommerce (its order data stores)' );
		}
		$id     = syncline_test_create_order( array( 'status' => 'processing' ) );
		$source = new WooCommerceOrderSource();
		$before = wc_get_order( $id )->get_date_modified();
		$saves  = 0;
		$count  = static function () use ( &$saves ): void {
			++$saves;
		};
		add_action( 'woocommerce_update_order', $count );
		$refs = array(
			'documents' => array(
				array(
					'type' => 'sales_order',
					'id'   => '7',
					'ref'  => 'CO7',
				),
			),
		);
		try {
			sleep( 1 );
			$source->store_erp_refs( $id, $refs );
			$source->store_erp_refs( $id, $refs );
		} finally {
			remove_action( 'woocommerce_update_order', $count );
		}
		$this->flush();
		$this->assertSame( $refs, $source->get_erp_refs( $id ) );
		$this->assertSame( 0, $saves );
		$after = wc_get_order( $id )->get_date_modified();
		$this->assertSame( null === $before ? null : $before->getTimestamp(), null === $after ? null : $after->getTimestamp() );
	}

	/**
	 * Drops WordPress's and WooCommerce's in-request caches, as a new request would start.
	 */
	private function flush(): void {
		wp_cache_flush();
	}
}

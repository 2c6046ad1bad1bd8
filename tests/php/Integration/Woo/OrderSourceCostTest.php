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
			$ids[] = $this->paid_order( array( self::line( 'PRIME-' . $i, 1, '10.00' ) ) );
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
	 * @testdox the lean payload costs fewer queries and less time than the wc/v3 controller, alone and primed
	 */
	public function test_lean_payload_is_cheaper(): void {
		global $wpdb;
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'needs real WooCommerce (its wc/v3 controller)' );
		}
		add_filter( 'pre_wp_mail', '__return_false' );
		$ids = array();
		for ( $i = 0; $i < 6; $i++ ) {
			$ids[] = $this->paid_order(
				array( self::line( 'COST-A-' . $i, 1, '10.00' ), self::line( 'COST-B', 2, '20.00' ) ),
				array( 'shipping_lines' => array( array( 'total' => '5.00' ) ) )
			);
		}
		remove_filter( 'pre_wp_mail', '__return_false' );
		$controller = static function ( int $id ): void {
			$request = new \WP_REST_Request( 'GET', '/wc/v3/orders/' . $id );
			$request->set_param( 'id', $id );
			$request->set_param( 'context', 'view' );
			rest_get_server()->response_to_data( ( new \WC_REST_Orders_Controller() )->prepare_object_for_response( wc_get_order( $id ), $request ), false );
		};
		$ways       = array(
			'controller'  => static function () use ( $ids, $controller ): void {
				array_map( $controller, $ids );
			},
			'lean'        => static function () use ( $ids ): void {
				$source = new WooCommerceOrderSource();
				foreach ( $ids as $id ) {
					$source->order_payload( $id );
				}
			},
			'lean_primed' => static function () use ( $ids ): void {
				$source = new WooCommerceOrderSource();
				$source->prime( $ids );
				foreach ( $ids as $id ) {
					$source->order_payload( $id );
				}
			},
		);
		$ms         = array_fill_keys( array_keys( $ways ), INF );
		$queries    = array();
		for ( $round = 0; $round < 3; $round++ ) {
			foreach ( $ways as $way => $run ) {
				$this->flush();
				$before = $wpdb->num_queries;
				$t0     = hrtime( true );
				$run();
				$ms[ $way ]      = min( $ms[ $way ], ( hrtime( true ) - $t0 ) / 1e6 / count( $ids ) );
				$queries[ $way ] = ( $wpdb->num_queries - $before ) / count( $ids );
			}
		}
		if ( getenv( 'SYNCLINE_FIGURES' ) ) {
			// phpcs:ignore WordPress.WP.AlternativeFunctions -- a figure for the person who asked for it.
			fwrite(
				STDERR,
				sprintf(
					"\npayload per order (best of 3): %s\n",
					wp_json_encode(
						array(
							'ms'      => array_map( static fn ( float $v ): float => round( $v, 2 ), $ms ),
							'queries' => $queries,
						)
					)
				)
			);
		}
		$this->assertLessThanOrEqual( $queries['controller'], $queries['lean'], 'no more queries than the controller' );
		$this->assertLessThan( $queries['lean'] / 2, $queries['lean_primed'], 'priming saves most queries' );
		$this->assertLessThan( $ms['controller'], $ms['lean'], 'less time than the controller' );
		$this->assertLessThan( $ms['controller'] / 2, $ms['lean_primed'], 'primed: under half the controller\'s time' );
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
	 * A paid order in processing (through the test helper plugin).
	 *
	 * @param array<int, array<string, mixed>> $lines Line items.
	 * @param array<string, mixed>             $extra Further order fields.
	 * @return int Order id.
	 */
	private function paid_order( array $lines, array $extra = array() ): int {
		return syncline_test_create_order(
			array(
				'set_paid'   => true,
				'status'     => 'processing',
				'line_items' => $lines,
			) + $extra
		);
	}

	/**
	 * An order line without discount (subtotal = total).
	 *
	 * @param string $sku   SKU.
	 * @param int    $qty   Quantity.
	 * @param string $total Line total.
	 * @return array<string, mixed>
	 */
	private static function line( string $sku, int $qty, string $total ): array {
		return array(
			'sku'      => $sku,
			'quantity' => $qty,
			'subtotal' => $total,
			'total'    => $total,
		);
	}

	/**
	 * Drops WordPress's and WooCommerce's in-request caches, as a new request would start.
	 */
	private function flush(): void {
		wp_cache_flush();
	}
}

<?php
/**
 * The lease payload carries each refund's detail (issue 8).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Woo;

use Syncline\Tests\Integration\IntegrationTestCase;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * `refunds_detail` from WooCommerce's own refund objects, on HPOS and on posts storage (the suite runs both).
 */
final class RefundsDetailTest extends IntegrationTestCase {

	/**
	 * @testdox each refund carries its refunded line (item id, quantity, amounts, tax per rate), its shipping and its amount
	 */
	public function test_refund_detail(): void {
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'needs real WooCommerce (refund objects)' );
		}
		$sku   = 'RD-' . wp_generate_password( 6, false );
		$id    = syncline_test_create_order(
			array(
				'set_paid'       => true,
				'status'         => 'processing',
				'line_items'     => array(
					array(
						'sku'      => $sku,
						'quantity' => 2,
						'subtotal' => '20.00',
						'total'    => '20.00',
					),
				),
				'shipping_lines' => array( array( 'total' => '5.00' ) ),
			)
		);
		$order = wc_get_order( $id );
		$this->assertInstanceOf( \WC_Order::class, $order );
		$line   = array_values( $order->get_items( 'line_item' ) )[0];
		$ship   = array_values( $order->get_items( 'shipping' ) )[0];
		$refund = wc_create_refund(
			array(
				'order_id'   => $id,
				'amount'     => '15.00',
				'reason'     => 'one broken, shipping back',
				'line_items' => array(
					$line->get_id() => array(
						'qty'          => 1,
						'refund_total' => 10,
						'refund_tax'   => array(),
					),
					$ship->get_id() => array(
						'qty'          => 0,
						'refund_total' => 5,
						'refund_tax'   => array(),
					),
				),
			)
		);
		$this->assertInstanceOf( \WC_Order_Refund::class, $refund );

		$payload = ( new WooCommerceOrderSource() )->order_payload( $id );
		$this->assertSame( 'found', $payload->state );
		$detail = $payload->order['refunds_detail'] ?? null;
		$this->assertIsArray( $detail );
		$this->assertCount( 1, $detail );
		$r = $detail[0];
		$this->assertSame( $refund->get_id(), $r['id'] );
		$this->assertSame( '15.00', $r['amount'] );
		$this->assertSame( 'one broken, shipping back', $r['reason'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/', $r['date_created_gmt'] );
		$this->assertSame( $line->get_id(), $r['line_items'][0]['refunded_item_id'] );
		$this->assertSame( -1, $r['line_items'][0]['quantity'] );
		$this->assertSame( '-10.00', $r['line_items'][0]['total'] );
		$this->assertSame( $ship->get_id(), $r['shipping_lines'][0]['refunded_item_id'] );
		$this->assertSame( '-5.00', $r['shipping_lines'][0]['total'] );
		$this->assertSame( array(), $r['fee_lines'] );
		$this->assertSame( array(), $payload->order['credits_detail'] );
	}
}

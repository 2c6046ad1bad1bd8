<?php
/**
 * The lean lease payload (issue 7): every field the sidecar reads equals what the wc/v3 controller gives.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Woo;

use Syncline\Tests\Integration\IntegrationTestCase;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * Representative orders (taxes at two rates, taxed shipping and fees, a coupon, refunds with and without lines,
 * variations with and without their own SKU, a deleted product, prices including tax, 0 and 3 price decimals in
 * other currencies, a guest), on HPOS and on posts storage (the suite runs both): the payload's wc/v3 fields are
 * exactly src/wp/order-fields.json and each equals, value and type, the wc/v3 orders controller's.
 */
final class OrderShapeTest extends IntegrationTestCase {

	private const OPTIONS = array( 'woocommerce_calc_taxes', 'woocommerce_prices_include_tax', 'woocommerce_price_num_decimals', 'woocommerce_tax_round_at_subtotal', 'timezone_string', 'gmt_offset' );

	/**
	 * Options as they were before the test (the transaction rolls the rows back, not the option cache).
	 *
	 * @var array<string, mixed>
	 */
	private array $saved = array();

	/**
	 * The field tree (src/wp/order-fields.json).
	 *
	 * @var array<string, mixed>
	 */
	private array $fields = array();

	/**
	 * Skips without real WooCommerce; saves the options the orders change.
	 */
	protected function setUp(): void {
		parent::setUp();
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'needs real WooCommerce (its order getters and wc/v3 controller)' );
		}
		foreach ( self::OPTIONS as $option ) {
			$this->saved[ $option ] = get_option( $option );
		}
		$spec         = json_decode( (string) file_get_contents( dirname( __DIR__, 4 ) . '/src/wp/order-fields.json' ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$this->fields = $spec['wc_v3'];
		update_option( 'woocommerce_calc_taxes', 'yes' );
		update_option( 'woocommerce_prices_include_tax', 'no' );
		update_option( 'woocommerce_price_num_decimals', '2' );
		// Local dates differ from GMT ones, as on most shops.
		update_option( 'timezone_string', 'Europe/Paris' );
		update_option( 'gmt_offset', '' );
		add_filter( 'pre_wp_mail', '__return_false' );
	}

	/**
	 * Restores the options and drops caches holding rolled-back rows.
	 */
	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', '__return_false' );
		foreach ( $this->saved as $option => $value ) {
			update_option( $option, $value );
		}
		parent::tearDown();
		wp_cache_flush();
	}

	/**
	 * @testdox taxes at two rates, taxed shipping and fee, a coupon, variations (own SKU and the parent's), two refunds: every field equals the controller's
	 */
	public function test_taxes_coupon_fee_variations_refunds(): void {
		// Amounts kept unrounded on the items: the payload rounds exactly where the controller does.
		update_option( 'woocommerce_tax_round_at_subtotal', 'yes' );
		$rates     = $this->tax_rates();
		$simple    = $this->product( 'LEAN-S-' . wp_generate_password( 5, false ), '19.99' );
		$reduced   = $this->product( 'LEAN-R-' . wp_generate_password( 5, false ), '4.50', 'reduced-rate' );
		$variation = $this->variations( 'LEAN-V-' . wp_generate_password( 5, false ) );
		$coupon    = new \WC_Coupon();
		$coupon->set_code( 'lean' . strtolower( wp_generate_password( 5, false ) ) );
		$coupon->set_discount_type( 'percent' );
		$coupon->set_amount( 10 );
		$coupon->save();

		$order = $this->order( 'EUR' );
		$order->add_product( $simple, 2 );
		$order->add_product( $reduced, 3 );
		$order->add_product( $variation['own_sku'], 1 );
		$order->add_product( $variation['parent_sku'], 1 );
		$this->add_shipping( $order, '7.50' );
		$fee = new \WC_Order_Item_Fee();
		$fee->set_props(
			array(
				'name'       => 'Gift wrap « déluxe »',
				'tax_status' => 'taxable',
				'tax_class'  => '',
				'total'      => '2.50',
			)
		);
		$order->add_item( $fee );
		$order->calculate_totals( true );
		$this->assertTrue( $order->apply_coupon( $coupon->get_code() ) );
		$order->set_customer_note( 'Leave it at the door, s\'il vous plaît' );
		$order->payment_complete( 'txn-' . wp_generate_password( 6, false ) );

		$items = array_values( $order->get_items( 'line_item' ) );
		$ship  = array_values( $order->get_items( 'shipping' ) )[0];
		$line  = $items[0];
		$this->assertInstanceOf( \WC_Order_Refund::class, $this->refund_line( $order, $line, $rates['standard'] ) );
		$this->assertInstanceOf(
			\WC_Order_Refund::class,
			wc_create_refund(
				array(
					'order_id'   => $order->get_id(),
					'amount'     => '3.00',
					'reason'     => '',
					'line_items' => array(
						$ship->get_id() => array(
							'qty'          => 0,
							'refund_total' => 2.5,
							'refund_tax'   => array( $rates['standard'] => 0.5 ),
						),
					),
				)
			)
		);

		$payload = $this->assert_equal_to_controller( $order->get_id() );
		$this->assertCount( 4, $payload['line_items'] );
		$this->assertSame( $variation['parent']->get_sku(), $payload['line_items'][3]['sku'], 'a variation without a SKU shows its parent\'s' );
		$this->assertCount( 2, $payload['tax_lines'], 'two rates' );
		$this->assertCount( 1, $payload['coupon_lines'] );
		$this->assertCount( 1, $payload['fee_lines'] );
		$this->assertNotSame( array(), $payload['shipping_lines'][0]['taxes'], 'taxed shipping' );
		$this->assertCount( 2, $payload['refunds'] );
		$this->assertCount( 2, $payload['refunds_detail'] );
	}

	/**
	 * @testdox prices including tax, a deleted product and a guest without payment: every field equals the controller's
	 */
	public function test_prices_include_tax_deleted_product_guest(): void {
		$this->tax_rates();
		update_option( 'woocommerce_prices_include_tax', 'yes' );
		$kept  = $this->product( 'LEAN-I-' . wp_generate_password( 5, false ), '9.99' );
		$gone  = $this->product( 'LEAN-D-' . wp_generate_password( 5, false ), '12.00' );
		$order = $this->order( 'EUR' );
		$order->set_prices_include_tax( true );
		$order->add_product( $kept, 3 );
		$order->add_product( $gone, 1 );
		$this->add_shipping( $order, '0' );
		$order->calculate_totals( true );
		$order->save();
		$gone->delete( true );

		$payload = $this->assert_equal_to_controller( $order->get_id() );
		$this->assertTrue( $payload['prices_include_tax'] );
		$this->assertNull( $payload['line_items'][1]['sku'], 'a deleted product has no SKU' );
		$this->assertNull( $payload['date_paid_gmt'] );
		$this->assertSame( 0, $payload['customer_id'] );
	}

	/**
	 * @testdox other currencies and price decimals (JPY with 0, KWD with 3): every field equals the controller's
	 */
	public function test_currency_decimals(): void {
		foreach ( array(
			'JPY' => array( '0', '1250' ),
			'KWD' => array( '3', '12.345' ),
		) as $currency => [ $decimals, $price ] ) {
			update_option( 'woocommerce_price_num_decimals', $decimals );
			$product = $this->product( 'LEAN-' . $currency . '-' . wp_generate_password( 5, false ), $price );
			$order   = $this->order( $currency );
			$order->add_product( $product, 3 );
			$this->add_shipping( $order, '1.5' );
			$order->calculate_totals( false );
			$order->payment_complete();
			$payload = $this->assert_equal_to_controller( $order->get_id() );
			$this->assertSame( $currency, $payload['currency'] );
			$this->assertSame( wc_format_decimal( (float) $price * 3 + 1.5, (int) $decimals ), $payload['total'], $currency );
		}
	}

	/**
	 * Builds the payload and the controller's answer for the order (fresh caches for each) and compares every field
	 * of the tree. Answers the payload.
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>
	 */
	private function assert_equal_to_controller( int $id ): array {
		wp_cache_flush();
		$payload = ( new WooCommerceOrderSource() )->order_payload( $id );
		$this->assertSame( 'found', $payload->state );
		$lean = (array) $payload->order;
		wp_cache_flush();
		$order      = wc_get_order( $id );
		$controller = new \WC_REST_Orders_Controller();
		$request    = new \WP_REST_Request( 'GET', '/wc/v3/orders/' . $id );
		$request->set_param( 'id', $id );
		$request->set_param( 'context', 'view' );
		$full = rest_get_server()->response_to_data( $controller->prepare_object_for_response( $order, $request ), false );
		$this->assertIsArray( $full );
		$this->assertSame( array( 'refunds_detail', 'credits_detail' ), array_slice( array_keys( $lean ), -2 ), 'Syncline\'s own fields last' );
		$this->assert_fields( $this->fields, $full, array_slice( $lean, 0, -2, true ), 'order' );
		return $lean;
	}

	/**
	 * Asserts that $lean has exactly the tree's keys, each equal (value and type) to $full's.
	 *
	 * @param array<string, mixed> $tree The field tree.
	 * @param array<mixed>         $full The controller's object.
	 * @param array<mixed>         $lean The payload's object.
	 * @param string               $path Where, for messages.
	 */
	private function assert_fields( array $tree, array $full, array $lean, string $path ): void {
		$this->assertSame( array_keys( $tree ), array_keys( $lean ), "$path: the payload's fields" );
		foreach ( $tree as $key => $sub ) {
			$this->assertArrayHasKey( $key, $full, "$path.$key is a wc/v3 field" );
			if ( true === $sub ) {
				$this->assertSame( $full[ $key ], $lean[ $key ], "$path.$key" );
			} elseif ( array_is_list( $sub ) ) {
				$this->assertIsArray( $lean[ $key ] );
				$this->assertCount( count( $full[ $key ] ), $lean[ $key ], "$path.$key: as many" );
				foreach ( array_values( $full[ $key ] ) as $i => $element ) {
					$this->assert_fields( $sub[0], $element, $lean[ $key ][ $i ], "$path.{$key}[$i]" );
				}
			} else {
				$this->assert_fields( $sub, $full[ $key ], $lean[ $key ], "$path.$key" );
			}
		}
	}

	/**
	 * A standard rate (20 %, shipping too) and a reduced one (5.5 %), any country.
	 *
	 * @return array{standard: int, reduced: int}
	 */
	private function tax_rates(): array {
		$rate = static fn ( string $percent, string $class, string $name ): int => (int) \WC_Tax::_insert_tax_rate(
			array(
				'tax_rate_country'  => '',
				'tax_rate_state'    => '',
				'tax_rate'          => $percent,
				'tax_rate_name'     => $name,
				'tax_rate_priority' => '1',
				'tax_rate_compound' => '0',
				'tax_rate_shipping' => '1',
				'tax_rate_order'    => '0',
				'tax_rate_class'    => $class,
			)
		);
		return array(
			'standard' => $rate( '20.0000', '', 'TVA 20' ),
			'reduced'  => $rate( '5.5000', 'reduced-rate', 'TVA 5,5' ),
		);
	}

	/**
	 * A simple product.
	 *
	 * @param string $sku       SKU.
	 * @param string $price     Price.
	 * @param string $tax_class Tax class.
	 */
	private function product( string $sku, string $price, string $tax_class = '' ): \WC_Product_Simple {
		$product = new \WC_Product_Simple();
		$product->set_name( 'Lean ' . $sku );
		$product->set_sku( $sku );
		$product->set_regular_price( $price );
		$product->set_tax_class( $tax_class );
		$product->save();
		return $product;
	}

	/**
	 * A variable product with one variation that has its own SKU and one that has none (it shows the parent's).
	 *
	 * @param string $sku Parent SKU.
	 * @return array{parent: \WC_Product_Variable, own_sku: \WC_Product_Variation, parent_sku: \WC_Product_Variation}
	 */
	private function variations( string $sku ): array {
		$attribute = new \WC_Product_Attribute();
		$attribute->set_name( 'Size' );
		$attribute->set_options( array( 'S', 'M' ) );
		$attribute->set_visible( true );
		$attribute->set_variation( true );
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'Lean hoodie' );
		$parent->set_sku( $sku );
		$parent->set_attributes( array( $attribute ) );
		$parent->save();
		$out = array( 'parent' => $parent );
		foreach ( array(
			'own_sku'    => array( 'S', $sku . '-S' ),
			'parent_sku' => array( 'M', '' ),
		) as $key => [ $size, $own ] ) {
			$variation = new \WC_Product_Variation();
			$variation->set_parent_id( $parent->get_id() );
			$variation->set_attributes( array( 'size' => $size ) );
			$variation->set_regular_price( '39.00' );
			$variation->set_sku( $own );
			$variation->save();
			$out[ $key ] = $variation;
		}
		return $out;
	}

	/**
	 * A new order in a currency, billed to France.
	 *
	 * @param string $currency Currency.
	 */
	private function order( string $currency ): \WC_Order {
		$order = wc_create_order( array( 'status' => 'pending' ) );
		$this->assertInstanceOf( \WC_Order::class, $order );
		$order->set_currency( $currency );
		$address = array(
			'first_name' => 'Zoé',
			'last_name'  => 'Martin',
			'address_1'  => '3 rue de la Paix',
			'city'       => 'Paris',
			'postcode'   => '75002',
			'country'    => 'FR',
			'email'      => 'zoe@example.test',
			'phone'      => '+33 1 23 45 67 89',
		);
		$order->set_address( $address, 'billing' );
		$order->set_address( $address, 'shipping' );
		$order->set_payment_method( 'bacs' );
		$order->set_payment_method_title( 'Virement bancaire' );
		return $order;
	}

	/**
	 * A taxable flat-rate shipping line.
	 *
	 * @param \WC_Order $order The order.
	 * @param string    $total Its total.
	 */
	private function add_shipping( \WC_Order $order, string $total ): void {
		$item = new \WC_Order_Item_Shipping();
		$item->set_props(
			array(
				'method_title' => 'Colissimo',
				'method_id'    => 'flat_rate',
				'total'        => $total,
			)
		);
		$order->add_item( $item );
	}

	/**
	 * Refunds one unit of a line with its tax.
	 *
	 * @param \WC_Order              $order The order.
	 * @param \WC_Order_Item_Product $line  The line.
	 * @param int                    $rate  Its tax rate id.
	 * @return \WC_Order_Refund|\WP_Error
	 */
	private function refund_line( \WC_Order $order, \WC_Order_Item_Product $line, int $rate ) {
		$unit = (float) $line->get_total() / max( 1, (int) $line->get_quantity() );
		$tax  = (float) $line->get_total_tax() / max( 1, (int) $line->get_quantity() );
		return wc_create_refund(
			array(
				'order_id'   => $order->get_id(),
				'amount'     => wc_format_decimal( $unit + $tax, 2 ),
				'reason'     => 'Abîmé',
				'line_items' => array(
					$line->get_id() => array(
						'qty'          => 1,
						'refund_total' => $unit,
						'refund_tax'   => array( $rate => $tax ),
					),
				),
			)
		);
	}
}

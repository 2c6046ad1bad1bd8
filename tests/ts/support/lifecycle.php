<?php
/**
 * The WooCommerce side of order lifecycles, run inside one PHP process with WooCommerce's own APIs (tests and
 * benchmarks only; driven by tests/ts/support/lifecycle.ts through `wp eval`). Every change goes through the
 * calls a shop's checkout, gateway or admin would make: a WC_Order built with add_product + calculate_totals,
 * apply_coupon, payment_complete (capture), on-hold with a transaction id (authorization), update_status,
 * wc_create_refund with line items (quantities, totals and tax per rate). WooCommerce's hooks fire, so Syncline
 * records its outbox events exactly as on a real shop.
 *
 * Input: a JSON file {"ops": [ {op, ...}, ... ]}; output: one JSON line {"results": [...]} on stdout.
 *
 * @package SynclineTests
 */

defined( 'ABSPATH' ) || exit;

/**
 * Catalogue, taxes and coupon a lifecycle needs: taxes on, a standard rate and a reduced rate (shipping taxed
 * at the standard rate), simple products (prices as given, stock not managed), and the coupons named.
 *
 * @param array $o products: [{sku, price, tax_class}], rates: {standard, reduced}, coupons: [{code, type, amount}].
 * @return array<string, mixed>
 */
function syncline_lifecycle_setup( array $o ): array {
	update_option( 'woocommerce_calc_taxes', 'yes' );
	update_option( 'woocommerce_prices_include_tax', 'no' );
	update_option( 'woocommerce_tax_round_at_subtotal', 'no' );
	$classes = WC_Tax::get_tax_class_slugs();
	if ( ! in_array( 'reduced-rate', $classes, true ) ) {
		WC_Tax::create_tax_class( 'Reduced rate', 'reduced-rate' );
	}
	$rates = array();
	foreach ( array(
		''             => (string) ( $o['rates']['standard'] ?? '20' ),
		'reduced-rate' => (string) ( $o['rates']['reduced'] ?? '5.5' ),
	) as $class => $percent ) {
		$existing = WC_Tax::get_rates_for_tax_class( $class );
		if ( array() !== $existing ) {
			$rates[ '' === $class ? 'standard' : $class ] = (int) array_key_first( $existing );
			continue;
		}
		$rates[ '' === $class ? 'standard' : $class ] = WC_Tax::_insert_tax_rate(
			array(
				'tax_rate_country'  => '',
				'tax_rate_state'    => '',
				'tax_rate'          => wc_format_decimal( $percent, 4 ),
				'tax_rate_name'     => 'VAT ' . $percent . '%',
				'tax_rate_priority' => 1,
				'tax_rate_compound' => 0,
				'tax_rate_shipping' => '' === $class ? 1 : 0,
				'tax_rate_order'    => 0,
				'tax_rate_class'    => $class,
			)
		);
	}
	$products = array();
	foreach ( (array) ( $o['products'] ?? array() ) as $p ) {
		$id      = wc_get_product_id_by_sku( (string) $p['sku'] );
		$product = $id ? wc_get_product( $id ) : new WC_Product_Simple();
		$product->set_name( (string) $p['sku'] );
		$product->set_sku( (string) $p['sku'] );
		$product->set_regular_price( (string) $p['price'] );
		$product->set_tax_status( 'taxable' );
		$product->set_tax_class( (string) ( $p['tax_class'] ?? '' ) );
		$product->set_manage_stock( false );
		$product->set_status( 'publish' );
		$products[ (string) $p['sku'] ] = $product->save();
	}
	foreach ( (array) ( $o['coupons'] ?? array() ) as $c ) {
		if ( wc_get_coupon_id_by_code( (string) $c['code'] ) ) {
			continue;
		}
		$coupon = new WC_Coupon();
		$coupon->set_code( (string) $c['code'] );
		$coupon->set_discount_type( (string) ( $c['type'] ?? 'percent' ) );
		$coupon->set_amount( (string) $c['amount'] );
		$coupon->save();
	}
	return array(
		'rates'    => $rates,
		'products' => $products,
	);
}

/**
 * A customer's order as checkout makes it (status pending, totals and taxes by WooCommerce).
 *
 * @param array $o lines [{sku, qty}], email, payment_method, shipping {method_id, title, total}, fee {name, total},
 *                 coupon (code), prices_include_tax (bool).
 * @throws RuntimeException When a SKU has no product or the coupon is refused.
 */
function syncline_lifecycle_create( array $o ): int {
	$incl   = ! empty( $o['prices_include_tax'] );
	$filter = static fn () => $incl ? 'yes' : 'no';
	// WooCommerce reads the shop setting when it prices a line: this order's setting, for this order only.
	add_filter( 'pre_option_woocommerce_prices_include_tax', $filter );
	try {
		// Built in memory and saved once complete, as WooCommerce's checkout and its REST API do: wc_create_order()
		// would save an empty order first, and a half-built order is what other requests then read and save.
		$order = new WC_Order();
		$order->set_status( 'pending' );
		$order->set_created_via( 'checkout' );
		$order->set_currency( get_woocommerce_currency() );
		$order->set_prices_include_tax( $incl );
		$address = array(
			'first_name' => 'Books',
			'last_name'  => 'Customer',
			'address_1'  => '1 Ledger Street',
			'city'       => 'Lyon',
			'postcode'   => '69001',
			'country'    => 'FR',
			'email'      => (string) $o['email'],
			'phone'      => '0400000000',
		);
		$order->set_address( $address, 'billing' );
		$order->set_address( $address, 'shipping' );
		$order->set_payment_method( (string) $o['payment_method'] );
		$order->set_payment_method_title( 'bacs' === $o['payment_method'] ? 'Direct bank transfer' : 'Credit card' );
		foreach ( (array) $o['lines'] as $line ) {
			$product = wc_get_product( wc_get_product_id_by_sku( (string) $line['sku'] ) );
			if ( ! $product ) {
				throw new RuntimeException( 'no product with SKU ' . $line['sku'] );
			}
			$order->add_product( $product, (int) $line['qty'] );
		}
		if ( isset( $o['shipping'] ) ) {
			$ship = new WC_Order_Item_Shipping();
			$ship->set_method_id( (string) $o['shipping']['method_id'] );
			$ship->set_method_title( (string) $o['shipping']['title'] );
			$ship->set_total( (string) $o['shipping']['total'] );
			$order->add_item( $ship );
		}
		if ( isset( $o['fee'] ) ) {
			$fee = new WC_Order_Item_Fee();
			$fee->set_name( (string) $o['fee']['name'] );
			$fee->set_amount( (string) $o['fee']['total'] );
			$fee->set_total( (string) $o['fee']['total'] );
			$fee->set_tax_status( 'taxable' );
			$fee->set_tax_class( '' );
			$order->add_item( $fee );
		}
		$order->calculate_totals( true );
		if ( ! empty( $o['coupon'] ) ) {
			$applied = $order->apply_coupon( (string) $o['coupon'] );
			if ( is_wp_error( $applied ) ) {
				throw new RuntimeException( $applied->get_error_message() );
			}
		}
		$order->save();
		return $order->get_id();
	} finally {
		remove_filter( 'pre_option_woocommerce_prices_include_tax', $filter );
	}
}

/**
 * Refund line items as WooCommerce's admin builds them: per item the quantity, the amount excl. tax and the tax
 * per rate, in the shop's price decimals. `one_line`: 1 unit of the first line with a unit left; `shipping`: the
 * shipping lines; `all`: everything not refunded yet (WooCommerce then marks the order refunded).
 *
 * @param WC_Order $order Order.
 * @param string   $what  one_line | shipping | all.
 * @return array{0: array<int, array<string, mixed>>, 1: float}
 */
function syncline_lifecycle_refund_items( WC_Order $order, string $what ): array {
	$decimals = wc_get_price_decimals();
	$items    = array();
	$amount   = 0.0;
	$types    = 'shipping' === $what ? array( 'shipping' ) : ( 'one_line' === $what ? array( 'line_item' ) : array( 'line_item', 'shipping', 'fee' ) );
	foreach ( $order->get_items( $types ) as $item_id => $item ) {
		$qty      = max( 1, (int) $item->get_quantity() );
		$left_qty = $qty + (int) $order->get_qty_refunded_for_item( $item_id, $item->get_type() );
		if ( $left_qty <= 0 ) {
			continue;
		}
		$units = 'one_line' === $what ? 1 : $left_qty;
		$share = 'line_item' === $item->get_type() ? $units / $qty : 1.0;
		$total = 'all' === $what
			? (float) $item->get_total() - (float) $order->get_total_refunded_for_item( $item_id, $item->get_type() )
			: (float) $item->get_total() * $share;
		$taxes = array();
		foreach ( (array) ( $item->get_taxes()['total'] ?? array() ) as $rate_id => $tax ) {
			$t                       = 'all' === $what
				? (float) $tax - (float) $order->get_tax_refunded_for_item( $item_id, (int) $rate_id, $item->get_type() )
				: (float) $tax * $share;
			$taxes[ (int) $rate_id ] = wc_format_decimal( $t, $decimals );
			$amount                 += (float) $taxes[ (int) $rate_id ];
		}
		$items[ $item_id ] = array(
			'qty'          => 'line_item' === $item->get_type() ? $units : 0,
			'refund_total' => wc_format_decimal( $total, $decimals ),
			'refund_tax'   => $taxes,
		);
		$amount           += (float) $items[ $item_id ]['refund_total'];
		if ( 'one_line' === $what ) {
			break;
		}
	}
	if ( 'all' === $what ) {
		$amount = (float) $order->get_remaining_refund_amount();
	}
	return array( $items, $amount );
}

/**
 * One refund through wc_create_refund (no gateway call, no restock): WooCommerce's own refund object.
 *
 * @param WC_Order $order Order.
 * @param string   $what  one_line | shipping | all.
 * @throws RuntimeException When WooCommerce refuses the refund.
 */
function syncline_lifecycle_refund( WC_Order $order, string $what ): int {
	list( $items, $amount ) = syncline_lifecycle_refund_items( $order, $what );
	$refund                 = wc_create_refund(
		array(
			'order_id'       => $order->get_id(),
			'amount'         => wc_format_decimal( $amount, wc_get_price_decimals() ),
			'reason'         => 'books lifecycle: ' . $what,
			'line_items'     => $items,
			'refund_payment' => false,
			'restock_items'  => false,
		)
	);
	if ( is_wp_error( $refund ) ) {
		throw new RuntimeException( $refund->get_error_message() );
	}
	return $refund->get_id();
}

/**
 * What WooCommerce says about an order: status, total, captured or not, refunds (id, amount), the correlation id
 * of its Syncline events.
 *
 * @param int $id Order id.
 * @return array<string, mixed>|null
 */
function syncline_lifecycle_truth( int $id ): ?array {
	global $wpdb;
	$order = wc_get_order( $id );
	if ( ! $order instanceof WC_Order ) {
		return null;
	}
	$refunds = array();
	foreach ( $order->get_refunds() as $refund ) {
		$refunds[] = array(
			'id'     => $refund->get_id(),
			'amount' => wc_format_decimal( $refund->get_amount(), 2 ),
		);
	}
	$paid      = $order->get_date_paid();
	$completed = $order->get_date_completed();
	return array(
		'id'                 => $id,
		'status'             => $order->get_status(),
		'currency'           => $order->get_currency(),
		'total'              => wc_format_decimal( $order->get_total(), 2 ),
		'total_tax'          => wc_format_decimal( $order->get_total_tax(), 2 ),
		'prices_include_tax' => $order->get_prices_include_tax(),
		'payment_method'     => $order->get_payment_method(),
		'transaction_id'     => $order->get_transaction_id(),
		'date_paid'          => $paid ? $paid->date( 'c' ) : null,
		'date_completed'     => $completed ? $completed->date( 'c' ) : null,
		'refunds'            => $refunds,
		'total_refunded'     => wc_format_decimal( $order->get_total_refunded(), 2 ),
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- test-only read of Syncline's own table.
		'correlation_id'     => $wpdb->get_var( $wpdb->prepare( "SELECT correlation_id FROM {$wpdb->prefix}syncline_events WHERE object_type = 'order' AND object_id = %d ORDER BY id LIMIT 1", $id ) ),
	);
}

/**
 * Applies one operation; returns what the caller needs (an id, the truth).
 *
 * @param array $op The operation.
 * @return mixed
 * @throws RuntimeException For an unknown order or operation.
 */
function syncline_lifecycle_apply( array $op ) {
	if ( 'setup' === $op['op'] ) {
		return syncline_lifecycle_setup( $op );
	}
	if ( 'create' === $op['op'] ) {
		return syncline_lifecycle_create( $op );
	}
	if ( 'truth' === $op['op'] ) {
		return array_map( 'syncline_lifecycle_truth', array_map( 'intval', (array) $op['orders'] ) );
	}
	$order = wc_get_order( (int) $op['order'] );
	if ( ! $order instanceof WC_Order ) {
		throw new RuntimeException( 'no order ' . $op['order'] );
	}
	switch ( $op['op'] ) {
		case 'authorize':
			// A gateway that only authorized: the transaction exists, nothing is captured (no paid date).
			$order->set_transaction_id( 'auth_' . $order->get_id() );
			$order->update_status( 'on-hold', 'Payment authorized, not captured.' );
			return $order->get_id();
		case 'await_transfer':
			$order->update_status( 'on-hold', 'Awaiting bank transfer.' );
			return $order->get_id();
		case 'pay':
			$order->payment_complete( 'txn_' . $order->get_id() );
			return $order->get_id();
		case 'complete':
			$order->update_status( 'completed' );
			return $order->get_id();
		case 'cancel':
			$order->update_status( 'cancelled' );
			return $order->get_id();
		case 'refund':
			return syncline_lifecycle_refund( $order, (string) $op['what'] );
	}
	throw new RuntimeException( 'unknown op ' . $op['op'] );
}

/**
 * Entry point: runs every op of the spec file in order, one failure does not stop the others.
 *
 * @param string $spec_file JSON file {"ops": [...]}.
 */
function syncline_lifecycle_main( string $spec_file ): void {
	// No mail leaves a test shop, and none is rendered (WooCommerce's e-mails take most of an order's time).
	add_filter( 'pre_wp_mail', '__return_false' );
	foreach ( WC()->mailer()->get_emails() as $email ) {
		add_filter( 'woocommerce_email_enabled_' . $email->id, '__return_false' );
	}
	// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local file.
	$spec    = json_decode( (string) file_get_contents( $spec_file ), true );
	$results = array();
	foreach ( (array) ( $spec['ops'] ?? array() ) as $op ) {
		try {
			$t0        = microtime( true );
			$results[] = array( 'ok' => syncline_lifecycle_apply( (array) $op ) );
			if ( getenv( 'SYNCLINE_LIFECYCLE_TIMING' ) ) {
				fwrite( STDERR, $op['op'] . ' ' . round( ( microtime( true ) - $t0 ) * 1000 ) . " ms\n" ); // phpcs:ignore
			}
		} catch ( Throwable $e ) {
			$results[] = array( 'error' => $e->getMessage() );
		}
	}
	echo "\n" . wp_json_encode( array( 'results' => $results ) ) . "\n"; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON for the driver.
}

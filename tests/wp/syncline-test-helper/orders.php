<?php
/**
 * Order operations of the test helper: the WooCommerce stand-in's API, or real WooCommerce (best effort).
 *
 * @package SynclineTests
 */

/** Whether real WooCommerce (not the stand-in) is active. */
function syncline_test_real_wc(): bool {
	return class_exists( 'WooCommerce' ) && defined( 'WC_VERSION' ) && ! str_contains( (string) WC_VERSION, '-standin' );
}

/**
 * Creates an order from a partial wc/v3 body.
 *
 * @param array $body Partial body.
 */
function syncline_test_create_order( array $body ): int {
	if ( ! syncline_test_real_wc() ) {
		return wcstandin_create_order( $body );
	}
	$order = wc_create_order(
		array(
			'status'      => 'pending',
			'created_via' => 'rest-api',
		)
	);
	foreach ( (array) ( $body['line_items'] ?? array() ) as $line ) {
		$qty        = (int) ( $line['quantity'] ?? 1 );
		$product_id = wc_get_product_id_by_sku( (string) ( $line['sku'] ?? '' ) );
		$product    = $product_id ? wc_get_product( $product_id ) : syncline_test_real_product( $line, $qty );
		$args       = isset( $line['total'] ) ? array(
			'subtotal' => (float) $line['subtotal'],
			'total'    => (float) $line['total'],
		) : array();
		if ( $product ) {
			$order->add_product( $product, $qty, $args );
		} else {
			$item = new WC_Order_Item_Product();
			$item->set_props(
				array(
					'name'     => $line['name'] ?? $line['sku'] ?? 'Item',
					'quantity' => $qty,
					'subtotal' => (float) ( $line['subtotal'] ?? 0 ),
					'total'    => (float) ( $line['total'] ?? 0 ),
				)
			);
			$order->add_item( $item );
		}
	}
	foreach ( (array) ( $body['shipping_lines'] ?? array() ) as $ship ) {
		$item = new WC_Order_Item_Shipping();
		$item->set_props(
			array(
				'method_title' => $ship['method_title'] ?? 'Flat Rate',
				'method_id'    => $ship['method_id'] ?? 'flat_rate',
				'total'        => (float) ( $ship['total'] ?? 0 ),
			)
		);
		$order->add_item( $item );
	}
	if ( isset( $body['billing'] ) ) {
		$order->set_address( (array) $body['billing'], 'billing' );
	}
	if ( isset( $body['shipping'] ) ) {
		$order->set_address( (array) $body['shipping'], 'shipping' );
	}
	if ( isset( $body['payment_method'] ) ) {
		$order->set_payment_method( (string) $body['payment_method'] );
		$order->set_payment_method_title( (string) ( $body['payment_method_title'] ?? $body['payment_method'] ) );
	}
	$order->calculate_totals();
	if ( ! empty( $body['set_paid'] ) ) {
		$order->payment_complete();
	}
	if ( isset( $body['status'] ) ) {
		$order->update_status( (string) $body['status'] );
	}
	return $order->get_id();
}

/**
 * Creates the simple product a line names by SKU (real WooCommerce needs one for the line to carry the SKU).
 *
 * @param array $line Line of the body.
 * @param int   $qty  Quantity.
 * @return WC_Product|null
 */
function syncline_test_real_product( array $line, int $qty ) {
	if ( empty( $line['sku'] ) ) {
		return null;
	}
	$product = new WC_Product_Simple();
	$product->set_name( (string) ( $line['name'] ?? $line['sku'] ) );
	$product->set_sku( (string) $line['sku'] );
	$product->set_regular_price( (string) ( isset( $line['total'] ) ? (float) $line['total'] / max( 1, $qty ) : ( $line['price'] ?? 10 ) ) );
	$product->save();
	return $product;
}

/**
 * Changes an order's status.
 *
 * @param int    $id     Order id.
 * @param string $status Status.
 */
function syncline_test_update_status( int $id, string $status ): int {
	if ( syncline_test_real_wc() ) {
		$order = wc_get_order( $id );
		$order && $order->update_status( $status );
	} else {
		wcstandin_update_status( $id, $status );
	}
	return $id;
}

/**
 * Marks an order paid.
 *
 * @param int    $id             Order id.
 * @param string $transaction_id Transaction id.
 */
function syncline_test_mark_paid( int $id, string $transaction_id ): int {
	if ( syncline_test_real_wc() ) {
		$order = wc_get_order( $id );
		$order && $order->payment_complete( $transaction_id );
	} else {
		wcstandin_payment_complete( $id, $transaction_id );
	}
	return $id;
}

/**
 * Refunds (part of) an order.
 *
 * @param int   $id   Order id.
 * @param array $args amount, reason, line_items.
 */
function syncline_test_refund( int $id, array $args ): int {
	if ( syncline_test_real_wc() ) {
		wc_create_refund(
			array(
				'order_id' => $id,
				'amount'   => (string) ( $args['amount'] ?? '0' ),
				'reason'   => (string) ( $args['reason'] ?? '' ),
			)
		);
	} else {
		wcstandin_create_refund( $id, $args );
	}
	return $id;
}

/**
 * Trashes an order.
 *
 * @param int $id Order id.
 */
function syncline_test_trash( int $id ): int {
	if ( syncline_test_real_wc() ) {
		$order = wc_get_order( $id );
		$order && $order->delete( false );
	} else {
		wcstandin_trash_order( $id );
	}
	return $id;
}

/**
 * Deletes an order for good.
 *
 * @param int $id Order id.
 */
function syncline_test_delete( int $id ): bool {
	if ( syncline_test_real_wc() ) {
		$order = wc_get_order( $id );
		return $order ? (bool) $order->delete( true ) : false;
	}
	wcstandin_delete_order( $id );
	return true;
}

/**
 * The order in the wc/v3 shape with its meta as a map, or null.
 *
 * @param int $id Order id.
 */
function syncline_test_get_order( int $id ): ?array {
	if ( ! syncline_test_real_wc() ) {
		return wcstandin_get_order( $id );
	}
	$order = wc_get_order( $id );
	if ( ! $order instanceof WC_Order ) {
		return null;
	}
	$controller = new WC_REST_Orders_Controller();
	$data       = rest_get_server()->response_to_data( $controller->prepare_object_for_response( $order, new WP_REST_Request() ), false );
	$meta       = array();
	foreach ( $order->get_meta_data() as $m ) {
		$meta[ $m->key ] = $m->value;
	}
	return $data + array( 'meta' => (object) $meta );
}

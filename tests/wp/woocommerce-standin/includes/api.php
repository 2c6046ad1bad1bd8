<?php
/**
 * The stand-in's PHP API: order lifecycle operations that fire WooCommerce's real hooks with WooCommerce's
 * argument lists (as in WooCommerce 11: data store create/update/delete, WC_Order::status_transition,
 * payment_complete, wc_create_refund).
 *
 * @package SynclineTests
 */

/**
 * Creates an order from a partial wc/v3 body; fires woocommerce_new_order, then the status transition from
 * pending, then (with set_paid) the payment hooks.
 *
 * @param array $data Partial wc/v3 body (status, set_paid, line_items, …).
 * @return int Order id.
 */
function wcstandin_create_order( array $data ): int {
	$id    = wcstandin_reserve_id( 'shop_order' );
	$order = wcstandin_build_order( $id, $data );
	wcstandin_store( $id, $order, array() );
	$wc_order = wc_get_order( $id );
	do_action( 'woocommerce_new_order', $id, $wc_order );
	$status = (string) ( $data['status'] ?? 'pending' );
	if ( ! empty( $data['set_paid'] ) ) {
		wcstandin_payment_complete( $id, (string) ( $data['transaction_id'] ?? '' ) );
		$status = 'processing' === $status || 'pending' === $status ? '' : $status;
	}
	if ( '' !== $status && 'pending' !== $status ) {
		wcstandin_update_status( $id, $status );
	}
	return $id;
}

/**
 * Changes the status; fires woocommerce_order_status_{to}, _{from}_to_{to} and _changed.
 *
 * @param int    $id     Order id.
 * @param string $status New status (without wc-).
 */
function wcstandin_update_status( int $id, string $status ): void {
	$order = wc_get_order( $id );
	if ( ! $order ) {
		return;
	}
	$data = $order->get_data();
	$from = (string) $data['status'];
	if ( $from === $status ) {
		return;
	}
	$data['status'] = $status;
	if ( 'completed' === $status ) {
		$data['date_completed']     = wcstandin_now();
		$data['date_completed_gmt'] = wcstandin_now();
	}
	$data['needs_payment'] = in_array( $status, array( 'pending', 'failed' ), true );
	$data['is_editable']   = in_array( $status, array( 'pending', 'on-hold', 'auto-draft' ), true );
	$order->set_data( $data );
	$order->save();
	do_action( "woocommerce_order_status_{$status}", $id, $order, array() );
	do_action( "woocommerce_order_status_{$from}_to_{$status}", $id, $order );
	do_action( 'woocommerce_order_status_changed', $id, $from, $status, $order );
}

/**
 * Payment complete: date_paid, transaction id, status processing; fires woocommerce_pre_payment_complete,
 * woocommerce_payment_complete and the status transition.
 *
 * @param int    $id             Order id.
 * @param string $transaction_id Transaction id.
 */
function wcstandin_payment_complete( int $id, string $transaction_id = '' ): void {
	$order = wc_get_order( $id );
	if ( ! $order ) {
		return;
	}
	do_action( 'woocommerce_pre_payment_complete', $id, $transaction_id );
	$data                   = $order->get_data();
	$data['transaction_id'] = $transaction_id;
	$data['date_paid']      = wcstandin_now();
	$data['date_paid_gmt']  = wcstandin_now();
	$order->set_data( $data );
	$order->save();
	wcstandin_update_status( $id, 'processing' );
	do_action( 'woocommerce_payment_complete', $id, $transaction_id );
}

/**
 * A refund (partial or full); fires woocommerce_order_partially_refunded or _fully_refunded, then
 * woocommerce_order_refunded ($order_id, $refund_id), and on a full refund the status change to refunded.
 *
 * @param int   $id   Order id.
 * @param array $args amount (string), reason, line_items (optional, wc/v3 refund line shape).
 * @return int Refund id.
 */
function wcstandin_create_refund( int $id, array $args ): int {
	$order = wc_get_order( $id );
	if ( ! $order ) {
		return 0;
	}
	$refund_id = wcstandin_reserve_id( 'shop_order_refund' );
	$amount    = (float) ( $args['amount'] ?? 0 );
	$refund    = array(
		'id'         => $refund_id,
		'parent_id'  => $id,
		'amount'     => wcstandin_money( $amount ),
		'reason'     => (string) ( $args['reason'] ?? '' ),
		'line_items' => (array) ( $args['line_items'] ?? array() ),
	);
	wcstandin_store( $refund_id, $refund + array( 'status' => 'completed' ), array() );
	$data              = $order->get_data();
	$data['refunds'][] = array(
		'id'        => $refund_id,
		'reason'    => $refund['reason'],
		'total'     => wcstandin_money( -$amount ),
		'total_tax' => '0.00',
	);
	$order->set_data( $data );
	$order->save();
	$refunded = -array_sum( array_map( static fn ( $r ) => (float) $r['total'], $data['refunds'] ) );
	$full     = $refunded >= (float) $data['total'] - 0.001;
	do_action( $full ? 'woocommerce_order_fully_refunded' : 'woocommerce_order_partially_refunded', $id, $refund_id );
	do_action( 'woocommerce_order_refunded', $id, $refund_id );
	if ( $full ) {
		wcstandin_update_status( $id, 'refunded' );
	}
	return $refund_id;
}

/**
 * Trashes an order: in legacy mode through wp_trash_post() (fires wp_trash_post), then woocommerce_trash_order.
 *
 * @param int $id Order id.
 */
function wcstandin_trash_order( int $id ): void {
	if ( ! wcstandin_hpos() ) {
		wp_trash_post( $id );
	}
	wcstandin_update_status( $id, 'trash' );
	do_action( 'woocommerce_trash_order', $id );
}

/**
 * Deletes an order for good: woocommerce_before_delete_order, (legacy: wp_delete_post → before_delete_post),
 * woocommerce_delete_order.
 *
 * @param int $id Order id.
 */
function wcstandin_delete_order( int $id ): void {
	global $wpdb;
	$order = wc_get_order( $id );
	if ( ! $order ) {
		return;
	}
	do_action( 'woocommerce_before_delete_order', $id, $order );
	if ( ! wcstandin_hpos() ) {
		wp_delete_post( $id, true );
	}
	$wpdb->delete( $wpdb->prefix . 'wcstandin_orders', array( 'id' => $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	do_action( 'woocommerce_delete_order', $id );
}

/**
 * The order in the wc/v3 shape plus its meta as a map, or null.
 *
 * @param int $id Order id.
 */
function wcstandin_get_order( int $id ): ?array {
	$order = wc_get_order( $id );
	if ( ! $order ) {
		return null;
	}
	$controller = new WC_REST_Orders_Controller();
	$data       = rest_get_server()->response_to_data( $controller->prepare_object_for_response( $order, new WP_REST_Request() ), false );
	$meta       = array();
	foreach ( $order->get_meta_data() as $m ) {
		$meta[ $m['key'] ] = $m['value'];
	}
	return $data + array( 'meta' => (object) $meta );
}

<?php
/**
 * Stock routes of the test helper: create products (one or in bulk), read them, place a checkout (order +
 * wc_reduce_stock_levels), restore an order's stock. With real WooCommerce (syncline_test_real_wc()) products
 * and orders go through WooCommerce's own objects and functions; else through the stand-in.
 *
 * phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders, WordPress.DB.PreparedSQL.NotPrepared -- placeholders lists are built from counts.
 *
 * @package SynclineTests
 */

/**
 * Products in bulk with a few multi-row INSERTs (benchmarks create 10,000).
 *
 * @param array $items List of {sku, stock, backorders?, manage_stock?}.
 * @return array<string, int> SKU => id.
 */
function syncline_test_bulk_products( array $items ): array {
	global $wpdb;
	if ( syncline_test_real_wc() ) {
		return syncline_test_real_bulk_products( $items );
	}
	$out = array();
	foreach ( array_chunk( $items, 500 ) as $chunk ) {
		$now   = current_time( 'mysql', true );
		$rows  = implode( ', ', array_fill( 0, count( $chunk ), "(%s, %s, 'publish', 'product', %s, %s, '', '', '')" ) );
		$args  = array();
		$names = array();
		foreach ( $chunk as $item ) {
			$sku = (string) $item['sku'];
			array_push( $args, $now, $now, $sku, 'syncline-test-' . md5( $sku ) );
			$names[] = $sku;
		}
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->posts} (post_date, post_date_gmt, post_status, post_type, post_title, post_name, post_content, post_excerpt, to_ping) VALUES {$rows}", $args ) );
		$first = (int) $wpdb->insert_id;
		$meta  = array();
		$margs = array();
		$look  = array();
		$largs = array();
		foreach ( $chunk as $i => $item ) {
			$id     = $first + $i;
			$stock  = (int) ( $item['stock'] ?? 0 );
			$bo     = (string) ( $item['backorders'] ?? 'no' );
			$status = wcstandin_stock_status( $stock, $bo );
			foreach ( array(
				'_sku'          => (string) $item['sku'],
				'_manage_stock' => 'yes',
				'_backorders'   => $bo,
				'_stock'        => (string) $stock,
				'_stock_status' => $status,
			) as $k => $v ) {
				$meta[] = '(%d, %s, %s)';
				array_push( $margs, $id, $k, $v );
			}
			$look[] = '(%d, %s, %d, %s)';
			array_push( $largs, $id, (string) $item['sku'], $stock, $status );
			$out[ (string) $item['sku'] ] = $id;
		}
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES " . implode( ', ', $meta ), $margs ) );
		$wpdb->query( $wpdb->prepare( "REPLACE INTO {$wpdb->prefix}wc_product_meta_lookup (product_id, sku, stock_quantity, stock_status) VALUES " . implode( ', ', $look ), $largs ) );
	}
	return $out;
}

/**
 * Creates a product: the stand-in's, or with real WooCommerce a WC_Product_Simple, or a WC_Product_Variation when
 * `parent` is given (the parent becomes a WC_Product_Variable first if it is not one yet).
 *
 * @param array $args {sku, stock?, backorders?, manage_stock?, parent?, name?}.
 */
function syncline_test_create_product( array $args ): int {
	if ( ! syncline_test_real_wc() ) {
		return wcstandin_create_product( $args );
	}
	$parent = (int) ( $args['parent'] ?? 0 );
	if ( $parent > 0 ) {
		if ( 'variable' !== WC_Product_Factory::get_product_type( $parent ) ) {
			( new WC_Product_Variable( $parent ) )->save();
		}
		$product = new WC_Product_Variation();
		$product->set_parent_id( $parent );
	} else {
		$product = new WC_Product_Simple();
	}
	$manage = ! array_key_exists( 'manage_stock', $args ) || ! empty( $args['manage_stock'] );
	$product->set_name( (string) ( $args['name'] ?? $args['sku'] ?? 'Product' ) );
	$product->set_status( 'publish' );
	$product->set_sku( (string) ( $args['sku'] ?? '' ) );
	$product->set_regular_price( (string) ( $args['price'] ?? '10' ) );
	$product->set_manage_stock( $manage );
	if ( $manage && isset( $args['stock'] ) ) {
		$product->set_stock_quantity( (int) $args['stock'] );
	}
	$product->set_backorders( (string) ( $args['backorders'] ?? 'no' ) );
	$product->save();
	return $product->get_id();
}

/**
 * Real WooCommerce products in bulk: each one saved by WooCommerce (WC_Product_Simple::save()), all inside one
 * transaction with term counting deferred, so 10,000 take seconds rather than minutes of commits.
 *
 * @param array $items List of {sku, stock, backorders?, manage_stock?}.
 * @return array<string, int> SKU => id.
 * @throws Throwable A product that cannot be saved (after rolling back).
 */
function syncline_test_real_bulk_products( array $items ): array {
	global $wpdb;
	if ( function_exists( 'set_time_limit' ) ) {
		set_time_limit( 0 );
	}
	wp_defer_term_counting( true );
	$out = array();
	$wpdb->query( 'START TRANSACTION' );
	try {
		foreach ( $items as $item ) {
			$out[ (string) $item['sku'] ] = syncline_test_create_product( (array) $item );
		}
		$wpdb->query( 'COMMIT' );
	} catch ( Throwable $e ) {
		$wpdb->query( 'ROLLBACK' );
		throw $e;
	} finally {
		wp_defer_term_counting( false );
	}
	return $out;
}

/**
 * A product's stock as stored: _stock, _stock_status, lookup row.
 *
 * @param string $sku SKU.
 */
function syncline_test_product( string $sku ): ?array {
	global $wpdb;
	$id = wc_get_product_id_by_sku( $sku );
	if ( $id <= 0 ) {
		return null;
	}
	$meta   = $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key LIKE %s", $id, '\_%' ), ARRAY_A );
	$lookup = $wpdb->get_row( $wpdb->prepare( "SELECT stock_quantity, stock_status FROM {$wpdb->prefix}wc_product_meta_lookup WHERE product_id = %d", $id ), ARRAY_A );
	return array(
		'id'     => $id,
		'meta'   => array_column( $meta, 'meta_value', 'meta_key' ),
		'lookup' => $lookup,
	);
}

/**
 * A checkout: creates an order with the lines, then reduces stock as WooCommerce's checkout does.
 *
 * @param array $body {line_items: [{sku, quantity}]}.
 * @return array{order_id: int}
 */
function syncline_test_checkout( array $body ): array {
	if ( syncline_test_real_wc() ) {
		return array( 'order_id' => syncline_test_real_checkout( (array) ( $body['line_items'] ?? array() ) ) );
	}
	$lines = array();
	foreach ( (array) ( $body['line_items'] ?? array() ) as $line ) {
		$lines[] = array(
			'sku'      => (string) $line['sku'],
			'quantity' => (int) $line['quantity'],
			'price'    => 1,
		);
	}
	$id = wcstandin_create_order(
		array(
			'status'     => 'processing',
			'line_items' => $lines,
		)
	);
	wc_reduce_stock_levels( $id );
	return array( 'order_id' => $id );
}

/**
 * A real WooCommerce checkout: a pending order with the products (by SKU), wc_reduce_stock_levels() (which fires
 * woocommerce_reduce_order_stock), the order marked as reduced as wc_maybe_reduce_stock_levels() does, then
 * status processing (which then does not reduce a second time).
 *
 * @param array $lines [{sku, quantity}].
 * @throws RuntimeException When a SKU has no product.
 */
function syncline_test_real_checkout( array $lines ): int {
	$order = wc_create_order( array( 'created_via' => 'checkout' ) );
	if ( is_wp_error( $order ) ) {
		throw new RuntimeException( esc_html( $order->get_error_message() ) );
	}
	foreach ( $lines as $line ) {
		$id      = wc_get_product_id_by_sku( (string) $line['sku'] );
		$product = $id > 0 ? wc_get_product( $id ) : null;
		if ( ! $product ) {
			throw new RuntimeException( 'No product with SKU ' . esc_html( (string) $line['sku'] ) );
		}
		$order->add_product( $product, (int) $line['quantity'] );
	}
	$order->calculate_totals();
	$order->save();
	$id = $order->get_id();
	wc_reduce_stock_levels( $id );
	$order->get_data_store()->set_stock_reduced( $id, true );
	$order = wc_get_order( $id );
	$order && $order->update_status( 'processing' );
	return $id;
}

/**
 * The per-product path for comparison (benchmarks): wc_update_product_stock( 'set' ) one SKU at a time.
 *
 * @param array $items List of {sku, stock}.
 * @return array{set: int}
 */
function syncline_test_set_stock_one_by_one( array $items ): array {
	$n = 0;
	foreach ( $items as $item ) {
		$id = wc_get_product_id_by_sku( (string) $item['sku'] );
		if ( $id > 0 ) {
			wc_update_product_stock( $id, (int) $item['stock'], 'set' );
			++$n;
		}
	}
	return array( 'set' => $n );
}

add_action(
	'rest_api_init',
	static function () {
		$routes = array(
			array( '/products', 'POST', static fn ( $r ) => array( 'id' => syncline_test_create_product( (array) $r->get_json_params() ) ) ),
			array( '/products/bulk', 'POST', static fn ( $r ) => array( 'ids' => syncline_test_bulk_products( (array) ( $r->get_json_params()['items'] ?? array() ) ) ) ),
			array( '/products/set-stock', 'POST', static fn ( $r ) => syncline_test_set_stock_one_by_one( (array) ( $r->get_json_params()['items'] ?? array() ) ) ),
			array( '/products/by-sku', 'POST', static fn ( $r ) => array( 'product' => syncline_test_product( (string) ( $r->get_json_params()['sku'] ?? '' ) ) ) ),
			array( '/checkout', 'POST', static fn ( $r ) => syncline_test_checkout( (array) $r->get_json_params() ) ),
			array( '/orders/(?P<id>\d+)/restore-stock', 'POST', static fn ( $r ) => array( 'ok' => null === wc_increase_stock_levels( (int) $r['id'] ) ) ),
		);
		syncline_test_routes(
			$routes,
			static function ( callable $work, WP_REST_Request $r ) {
				try {
					return new WP_REST_Response( $work( $r ), 200 );
				} catch ( Throwable $e ) {
					return new WP_Error( 'syncline_test_error', $e->getMessage(), array( 'status' => 500 ) );
				}
			}
		);
	}
);

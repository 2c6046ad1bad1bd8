<?php
/**
 * Stock routes of the test helper: create products (one or in bulk), read them, place a checkout (order +
 * wc_reduce_stock_levels), restore an order's stock. Stand-in only.
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
			array( '/products', 'POST', static fn ( $r ) => array( 'id' => wcstandin_create_product( (array) $r->get_json_params() ) ) ),
			array( '/products/bulk', 'POST', static fn ( $r ) => array( 'ids' => syncline_test_bulk_products( (array) ( $r->get_json_params()['items'] ?? array() ) ) ) ),
			array( '/products/set-stock', 'POST', static fn ( $r ) => syncline_test_set_stock_one_by_one( (array) ( $r->get_json_params()['items'] ?? array() ) ) ),
			array( '/products/by-sku', 'POST', static fn ( $r ) => array( 'product' => syncline_test_product( (string) ( $r->get_json_params()['sku'] ?? '' ) ) ) ),
			array( '/checkout', 'POST', static fn ( $r ) => syncline_test_checkout( (array) $r->get_json_params() ) ),
			array( '/orders/(?P<id>\d+)/restore-stock', 'POST', static fn ( $r ) => array( 'ok' => null === wc_increase_stock_levels( (int) $r['id'] ) ) ),
		);
		foreach ( $routes as list( $path, $method, $work ) ) {
			register_rest_route(
				'syncline-test/v1',
				$path,
				array(
					'methods'             => $method,
					'callback'            => static function ( WP_REST_Request $r ) use ( $work ) {
						try {
							return new WP_REST_Response( $work( $r ), 200 );
						} catch ( Throwable $e ) {
							return new WP_Error( 'syncline_test_error', $e->getMessage(), array( 'status' => 500 ) );
						}
					},
					'permission_callback' => 'syncline_test_permission',
				)
			);
		}
	}
);

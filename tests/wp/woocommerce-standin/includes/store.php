<?php
/**
 * Storage and normalisation of stand-in orders (wc/v3 shape of WooCommerce 11.0.1).
 *
 * phpcs:disable WordPress.DB.DirectDatabaseQuery
 *
 * @package SynclineTests
 */

/** Now in WooCommerce's REST date format. */
function wcstandin_now(): string {
	return gmdate( 'Y-m-d\TH:i:s' );
}

/**
 * A money string with 2 decimals.
 *
 * @param float $v Amount.
 */
function wcstandin_money( float $v ): string {
	return number_format( round( $v, 2 ), 2, '.', '' );
}

/**
 * Reads an order or refund row.
 *
 * @param int $id Id.
 * @return array{id:int,type:string,data:array,meta:array}|null
 */
function wcstandin_load( int $id ): ?array {
	global $wpdb;
	$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wcstandin_orders WHERE id = %d", $id ), ARRAY_A );
	if ( ! $row ) {
		return null;
	}
	return array(
		'id'   => (int) $row['id'],
		'type' => (string) $row['type'],
		'data' => (array) json_decode( $row['data'], true ),
		'meta' => (array) json_decode( $row['meta'], true ),
	);
}

/**
 * Writes data and meta of an existing row.
 *
 * @param int   $id   Id.
 * @param array $data wc/v3 data.
 * @param array $meta Meta list.
 */
function wcstandin_store( int $id, array $data, array $meta ): void {
	global $wpdb;
	$wpdb->update(
		$wpdb->prefix . 'wcstandin_orders',
		array(
			'status' => (string) ( $data['status'] ?? '' ),
			'data'   => wp_json_encode( $data ),
			'meta'   => wp_json_encode( array_values( $meta ) ),
		),
		array( 'id' => $id )
	);
}

/**
 * Reserves an id: in legacy mode a shop_order post (so wp_trash_post/before_delete_post see an order post),
 * in HPOS mode the stand-in table's own auto-increment.
 *
 * @param string $type shop_order or shop_order_refund.
 */
function wcstandin_reserve_id( string $type ): int {
	global $wpdb;
	$id = 0;
	if ( ! wcstandin_hpos() ) {
		$id = (int) wp_insert_post(
			array(
				'post_type'   => $type,
				'post_status' => 'publish',
				'post_title'  => 'Order',
			)
		);
	}
	$row = array(
		'type'   => $type,
		'status' => 'pending',
		'data'   => '{}',
		'meta'   => '[]',
	);
	if ( $id > 0 ) {
		$row['id'] = $id;
	}
	$wpdb->insert( $wpdb->prefix . 'wcstandin_orders', $row );
	return $id > 0 ? $id : (int) $wpdb->insert_id;
}

/**
 * A full wc/v3 order from a partial body merged onto the recorded template.
 *
 * @param int   $id   Order id.
 * @param array $body Partial wc/v3 body.
 */
function wcstandin_build_order( int $id, array $body ): array {
	static $template = null;
	if ( null === $template ) {
		// phpcs:ignore WordPress.WP.AlternativeFunctions -- a local file.
		$template = json_decode( (string) file_get_contents( __DIR__ . '/order-template.json' ), true );
	}
	$data    = $template;
	$line_id = 0;
	$now     = wcstandin_now();
	$lists   = array( 'line_items', 'tax_lines', 'shipping_lines', 'fee_lines', 'coupon_lines' );
	$scalars = array_diff( array_keys( $data ), $lists, array( 'id', 'meta_data', 'refunds' ) );
	foreach ( $scalars as $key ) {
		if ( array_key_exists( $key, $body ) ) {
			$data[ $key ] = is_array( $data[ $key ] ) && is_array( $body[ $key ] ) ? array_merge( $data[ $key ], $body[ $key ] ) : $body[ $key ];
		}
	}
	foreach ( $lists as $list ) {
		$items         = array_key_exists( $list, $body ) ? (array) $body[ $list ] : $data[ $list ];
		$data[ $list ] = array_map( static fn ( $item ) => wcstandin_line( $list, (array) $item, ++$line_id ), $items );
	}
	$key                        = 'wc_order_' . wp_generate_password( 13, false );
	$data['id']                 = $id;
	$data['number']             = (string) $id;
	$data['order_key']          = $key;
	$data['meta_data']          = array();
	$data['refunds']            = array();
	$data['version']            = '11.0.1';
	$data['created_via']        = $body['created_via'] ?? 'rest-api';
	$data['status']             = 'pending';
	$data['date_paid']          = null;
	$data['date_paid_gmt']      = null;
	$data['date_completed']     = null;
	$data['date_completed_gmt'] = null;
	foreach ( array( 'date_created', 'date_created_gmt', 'date_modified', 'date_modified_gmt' ) as $d ) {
		$data[ $d ] = $now;
	}
	$data['payment_url'] = home_url( "/checkout/order-pay/{$id}/?pay_for_order=true&key={$key}" );
	return wcstandin_totals( $data, $body );
}

/**
 * One line of a list, with every field WooCommerce 11 returns, in its order.
 *
 * @param string $list List name.
 * @param array  $item Given fields.
 * @param int    $id   Line id.
 */
function wcstandin_line( string $list, array $item, int $id ): array {
	$qty   = (int) ( $item['quantity'] ?? 1 );
	$price = (float) ( $item['price'] ?? 0 );
	$base  = match ( $list ) {
		'line_items' => array(
			'id'               => $id,
			'name'             => $item['sku'] ?? 'Item',
			'product_id'       => 0,
			'variation_id'     => 0,
			'quantity'         => $qty,
			'tax_class'        => '',
			'subtotal'         => wcstandin_money( $price * $qty ),
			'subtotal_tax'     => '0.00',
			'total'            => wcstandin_money( $price * $qty ),
			'total_tax'        => '0.00',
			'taxes'            => array(),
			'meta_data'        => array(),
			'sku'              => '',
			'global_unique_id' => '',
			'price'            => $price,
			'image'            => array(
				'id'  => '',
				'src' => '',
			),
			'parent_name'      => null,
		),
		'shipping_lines' => array(
			'id'           => $id,
			'method_title' => 'Flat Rate',
			'method_id'    => 'flat_rate',
			'instance_id'  => '',
			'total'        => '0.00',
			'total_tax'    => '0.00',
			'taxes'        => array(),
			'tax_status'   => 'taxable',
			'meta_data'    => array(),
		),
		'fee_lines' => array(
			'id'         => $id,
			'name'       => 'Fee',
			'tax_class'  => '',
			'tax_status' => 'taxable',
			'amount'     => '0',
			'total'      => '0.00',
			'total_tax'  => '0.00',
			'taxes'      => array(),
			'meta_data'  => array(),
		),
		'coupon_lines' => array(
			'id'             => $id,
			'code'           => 'coupon',
			'discount'       => '0',
			'discount_tax'   => '0',
			'discount_type'  => 'fixed_cart',
			'nominal_amount' => 0,
			'free_shipping'  => false,
			'meta_data'      => array(),
		),
		default => array(
			'id'                 => $id,
			'rate_code'          => '',
			'rate_id'            => 0,
			'label'              => 'Tax',
			'compound'           => false,
			'tax_total'          => '0.00',
			'shipping_tax_total' => '0.00',
			'rate_percent'       => 0,
			'meta_data'          => array(),
		),
	};
	unset( $item['id'] );
	return array_merge( $base, array_intersect_key( $item, $base ) );
}

/**
 * Fills totals the body did not give, from its lines.
 *
 * @param array $data Order.
 * @param array $body Given body.
 */
function wcstandin_totals( array $data, array $body ): array {
	$sum  = static fn ( string $list, string $field ) => array_sum( array_map( static fn ( $l ) => (float) ( $l[ $field ] ?? 0 ), $data[ $list ] ) );
	$fill = array(
		'shipping_total' => $sum( 'shipping_lines', 'total' ),
		'shipping_tax'   => $sum( 'shipping_lines', 'total_tax' ),
		'cart_tax'       => $sum( 'line_items', 'total_tax' ) + $sum( 'fee_lines', 'total_tax' ),
		'discount_total' => $sum( 'coupon_lines', 'discount' ),
		'discount_tax'   => $sum( 'coupon_lines', 'discount_tax' ),
	);
	foreach ( $fill as $key => $value ) {
		if ( ! array_key_exists( $key, $body ) ) {
			$data[ $key ] = wcstandin_money( $value );
		}
	}
	if ( ! array_key_exists( 'total_tax', $body ) ) {
		$data['total_tax'] = wcstandin_money( (float) $data['cart_tax'] + (float) $data['shipping_tax'] );
	}
	if ( ! array_key_exists( 'total', $body ) ) {
		$net           = $sum( 'line_items', 'total' ) + $sum( 'fee_lines', 'total' ) + (float) $data['shipping_total'];
		$data['total'] = wcstandin_money( $net + ( empty( $data['prices_include_tax'] ) ? (float) $data['total_tax'] : 0 ) );
	}
	return $data;
}

<?php
/**
 * Stand-in products and stock (WooCommerce 11.0.1 behaviour): products and variations are posts (post_type
 * product / product_variation) with _sku, _stock, _manage_stock, _backorders, _stock_status meta and a row in
 * {prefix}wc_product_meta_lookup. Stock writes use WooCommerce's SQL: 'increase'/'decrease' are one relative
 * UPDATE (`meta_value = meta_value ± n`), 'set' overwrites (last writer wins).
 *
 * phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
 *
 * @package SynclineTests
 */

define( 'WCSTANDIN_PRODUCTS_DB_VERSION', '1' );

/**
 * Creates the lookup table like WooCommerce's.
 */
function wcstandin_products_install(): void {
	global $wpdb;
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	dbDelta(
		"CREATE TABLE {$wpdb->prefix}wc_product_meta_lookup (
product_id bigint(20) NOT NULL,
sku varchar(100) NULL default '',
global_unique_id varchar(100) NULL default '',
virtual tinyint(1) NULL default 0,
downloadable tinyint(1) NULL default 0,
min_price decimal(19,4) NULL default NULL,
max_price decimal(19,4) NULL default NULL,
onsale tinyint(1) NULL default 0,
stock_quantity double NULL default NULL,
stock_status varchar(100) NULL default 'instock',
rating_count bigint(20) NULL default 0,
average_rating decimal(3,2) NULL default 0.00,
total_sales bigint(20) NULL default 0,
tax_status varchar(100) NULL default 'taxable',
tax_class varchar(100) NULL default '',
PRIMARY KEY  (product_id),
KEY stock_status (stock_status),
KEY stock_quantity (stock_quantity)
) {$wpdb->get_charset_collate()};"
	);
	update_option( 'wcstandin_products_db_version', WCSTANDIN_PRODUCTS_DB_VERSION );
}

add_action(
	'plugins_loaded',
	static function () {
		if ( WCSTANDIN_PRODUCTS_DB_VERSION !== get_option( 'wcstandin_products_db_version' ) ) {
			wcstandin_products_install();
		}
	},
	-9
);

add_action(
	'init',
	static function () {
		register_post_type(
			'product',
			array(
				'public' => false,
				'label'  => 'Products (stand-in)',
			)
		);
		register_post_type(
			'product_variation',
			array(
				'public' => false,
				'label'  => 'Variations (stand-in)',
			)
		);
	}
);

/**
 * Creates a product or variation.
 *
 * @param array $args sku, stock (int|null), manage_stock (bool, true), backorders (no|notify|yes), parent (id: a variation).
 * @return int Post id.
 */
function wcstandin_create_product( array $args ): int {
	global $wpdb;
	$parent = (int) ( $args['parent'] ?? 0 );
	$id     = (int) wp_insert_post(
		array(
			'post_type'   => $parent > 0 ? 'product_variation' : 'product',
			'post_status' => 'publish',
			'post_title'  => (string) ( $args['name'] ?? $args['sku'] ?? 'Product' ),
			'post_parent' => $parent,
		)
	);
	$manage = ! array_key_exists( 'manage_stock', $args ) || ! empty( $args['manage_stock'] );
	$stock  = $manage && isset( $args['stock'] ) ? (int) $args['stock'] : null;
	$meta   = array(
		'_sku'          => (string) ( $args['sku'] ?? '' ),
		'_manage_stock' => $manage ? 'yes' : 'no',
		'_backorders'   => (string) ( $args['backorders'] ?? 'no' ),
		'_stock_status' => wcstandin_stock_status( $stock, (string) ( $args['backorders'] ?? 'no' ) ),
	);
	if ( null !== $stock ) {
		$meta['_stock'] = (string) $stock;
	}
	foreach ( $meta as $key => $value ) {
		$wpdb->insert(
			$wpdb->postmeta,
			array(
				'post_id'    => $id,
				'meta_key'   => $key,
				'meta_value' => $value,
			)
		); // phpcs:ignore WordPress.DB.SlowDBQuery
	}
	$wpdb->replace(
		$wpdb->prefix . 'wc_product_meta_lookup',
		array(
			'product_id'     => $id,
			'sku'            => $meta['_sku'],
			'stock_quantity' => $stock,
			'stock_status'   => $meta['_stock_status'],
		)
	);
	wp_cache_delete( $id, 'post_meta' );
	return $id;
}

/**
 * WooCommerce's status rule.
 *
 * @param int|null $stock      Stock (null: not managed).
 * @param string   $backorders no|notify|yes.
 */
function wcstandin_stock_status( ?int $stock, string $backorders ): string {
	if ( null === $stock || $stock > 0 ) {
		return 'instock';
	}
	return 'no' === $backorders ? 'outofstock' : 'onbackorder';
}

/**
 * Product id by SKU (0 when none), like wc_get_product_id_by_sku().
 *
 * @param string $sku SKU.
 */
function wc_get_product_id_by_sku( $sku ) {
	global $wpdb;
	return (int) $wpdb->get_var( $wpdb->prepare( "SELECT product_id FROM {$wpdb->prefix}wc_product_meta_lookup WHERE sku = %s LIMIT 1", $sku ) );
}

/**
 * Like WooCommerce 11's wc_update_product_stock() with the data store's update_product_stock(): relative SQL
 * for increase/decrease, overwrite for set; then cache delete, lookup row, status, woocommerce_updated_product_stock.
 *
 * @param int|object $product   Product id.
 * @param int|null   $qty       Quantity.
 * @param string     $operation set|increase|decrease.
 * @param bool       $updating  Ignored (no product object here).
 * @return int|null New stock.
 */
function wc_update_product_stock( $product, $qty = null, $operation = 'set', $updating = false ) {
	global $wpdb;
	unset( $updating );
	$id = is_object( $product ) && method_exists( $product, 'get_id' ) ? (int) $product->get_id() : (int) $product;
	if ( $id <= 0 || null === $qty ) {
		return null;
	}
	$sql = match ( $operation ) {
		'increase' => $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = meta_value + %f WHERE post_id = %d AND meta_key='_stock'", $qty, $id ),
		'decrease' => $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = meta_value - %f WHERE post_id = %d AND meta_key='_stock'", $qty, $id ),
		default => $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = %f WHERE post_id = %d AND meta_key='_stock'", $qty, $id ),
	};
	$wpdb->query( apply_filters( 'woocommerce_update_product_stock_query', $sql, $product, $qty, $operation ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	wp_cache_delete( $id, 'post_meta' );
	$stock      = (int) $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_stock'", $id ) );
	$backorders = (string) get_post_meta( $id, '_backorders', true );
	$status     = wcstandin_stock_status( $stock, '' === $backorders ? 'no' : $backorders );
	update_post_meta( $id, '_stock_status', $status );
	$wpdb->update(
		$wpdb->prefix . 'wc_product_meta_lookup',
		array(
			'stock_quantity' => $stock,
			'stock_status'   => $status,
		),
		array( 'product_id' => $id )
	);
	do_action( 'woocommerce_updated_product_stock', $id );
	return $stock;
}

/**
 * Like wc_reduce_stock_levels(): decreases each line's product once (line meta _reduced_stock), then fires
 * woocommerce_reduce_order_stock with the order (always, as WooCommerce does).
 *
 * @param int $order_id Order id.
 */
function wc_reduce_stock_levels( $order_id ): void {
	wcstandin_change_stock_levels( (int) $order_id, 'decrease' );
}

/**
 * Like wc_increase_stock_levels(): gives back what was reduced, then fires woocommerce_restore_order_stock.
 *
 * @param int $order_id Order id.
 */
function wc_increase_stock_levels( $order_id ): void {
	wcstandin_change_stock_levels( (int) $order_id, 'increase' );
}

/**
 * Reduces or restores an order's lines.
 *
 * @param int    $order_id  Order id.
 * @param string $operation decrease|increase.
 */
function wcstandin_change_stock_levels( int $order_id, string $operation ): void {
	$order = wc_get_order( $order_id );
	if ( ! $order ) {
		return;
	}
	$data    = $order->get_data();
	$changed = false;
	foreach ( $data['line_items'] as $i => $line ) {
		$sku     = (string) ( '' !== ( $line['sku'] ?? '' ) ? $line['sku'] : ( $line['name'] ?? '' ) );
		$id      = wc_get_product_id_by_sku( $sku );
		$reduced = wcstandin_line_meta( $line, '_reduced_stock' );
		$skip    = 'decrease' === $operation ? null !== $reduced : null === $reduced;
		if ( $id <= 0 || $skip ) {
			continue;
		}
		$qty = 'decrease' === $operation ? (int) $line['quantity'] : (int) $reduced;
		wc_update_product_stock( $id, $qty, $operation );
		$meta = array_values( array_filter( (array) $line['meta_data'], static fn ( $m ) => '_reduced_stock' !== ( $m['key'] ?? '' ) ) );
		if ( 'decrease' === $operation ) {
			$meta[] = array(
				'id'    => 0,
				'key'   => '_reduced_stock',
				'value' => (string) $qty,
			);
		}
		$data['line_items'][ $i ]['meta_data'] = $meta;
		$data['line_items'][ $i ]['sku']       = $sku;
		$changed                               = true;
	}
	if ( $changed ) {
		$order->set_data( $data );
		$order->save();
	}
	// WooCommerce 11 fires these on every call, even when no line changed (every line was already reduced/restored).
	do_action( 'decrease' === $operation ? 'woocommerce_reduce_order_stock' : 'woocommerce_restore_order_stock', $order );
}

/**
 * A line's meta value, or null.
 *
 * @param array  $line Line.
 * @param string $key  Key.
 * @return mixed
 */
function wcstandin_line_meta( array $line, string $key ) {
	foreach ( (array) ( $line['meta_data'] ?? array() ) as $m ) {
		if ( ( $m['key'] ?? '' ) === $key ) {
			return $m['value'];
		}
	}
	return null;
}

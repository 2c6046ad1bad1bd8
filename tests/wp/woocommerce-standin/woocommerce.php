<?php
/**
 * Plugin Name: WooCommerce stand-in (Syncline tests)
 * Description: Implements only what Syncline's WooCommerce seam uses (wc_get_order, WC_Order meta, WC_REST_Orders_Controller::prepare_object_for_response) and fires WooCommerce's real order hooks. Orders are stored in the recorded wc/v3 shape (WooCommerce 11.0.1). For tests only.
 * Version: 11.0.1-standin
 * Requires PHP: 8.1
 * License: GPL-2.0-or-later
 *
 * @package SynclineTests
 */

defined( 'ABSPATH' ) || exit;

define( 'WC_VERSION', '11.0.1-standin' );
define( 'WCSTANDIN_DB_VERSION', '2' );

require_once __DIR__ . '/includes/class-wc-order.php';
require_once __DIR__ . '/includes/class-wc-rest-orders-controller.php';
require_once __DIR__ . '/includes/store.php';
require_once __DIR__ . '/includes/api.php';
require_once __DIR__ . '/includes/products.php';

/**
 * Creates the stand-in's table.
 */
function wcstandin_install(): void {
	global $wpdb;
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	dbDelta(
		"CREATE TABLE {$wpdb->prefix}wcstandin_orders (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
type varchar(20) NOT NULL DEFAULT 'shop_order',
status varchar(32) NOT NULL DEFAULT 'pending',
data longtext NOT NULL,
meta longtext NOT NULL,
PRIMARY KEY  (id)
) {$wpdb->get_charset_collate()};"
	);
	// As WooCommerce's installer does: store managers and administrators get manage_woocommerce.
	$caps = array(
		'read'               => true,
		'manage_woocommerce' => true,
		'edit_shop_orders'   => true,
	);
	if ( ! get_role( 'shop_manager' ) ) {
		add_role( 'shop_manager', 'Shop manager', $caps );
	}
	$admin = get_role( 'administrator' );
	if ( $admin ) {
		foreach ( array_keys( $caps ) as $cap ) {
			$admin->add_cap( $cap );
		}
	}
	update_option( 'wcstandin_db_version', WCSTANDIN_DB_VERSION );
}

register_activation_hook( __FILE__, 'wcstandin_install' );

add_action(
	'plugins_loaded',
	static function () {
		if ( WCSTANDIN_DB_VERSION !== get_option( 'wcstandin_db_version' ) ) {
			wcstandin_install();
		}
		// As WooCommerce does: plugins declare HPOS compatibility here.
		do_action( 'before_woocommerce_init' );
		do_action( 'woocommerce_loaded' );
	},
	-10
);

add_action(
	'init',
	static function () {
		register_post_type(
			'shop_order',
			array(
				'public'   => false,
				'label'    => 'Orders (stand-in)',
				'supports' => array( 'custom-fields' ),
			)
		);
	}
);

/**
 * Whether orders are stored "in custom tables" (HPOS) or mirrored as shop_order posts (legacy mode).
 */
function wcstandin_hpos(): bool {
	return 'no' !== get_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
}

/**
 * The order (or false), like WooCommerce's wc_get_order().
 *
 * @param mixed $the_order Order id or object.
 * @return WC_Order|false
 */
function wc_get_order( $the_order = false ) {
	if ( $the_order instanceof WC_Order ) {
		return $the_order;
	}
	$row = wcstandin_load( (int) $the_order );
	if ( null === $row || 'shop_order' !== $row['type'] ) {
		return false;
	}
	return new WC_Order( (int) $row['id'], $row['data'], $row['meta'] );
}

<?php
/**
 * Plugin Name:          Syncline
 * Description:          Keeps WooCommerce and your ERP in step: a durable order outbox in WordPress, pushed by the Syncline sidecar.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * WC requires at least: 11.0
 * WC tested up to:      11.0
 * Author:               Syncline
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          syncline
 * Domain Path:          /languages
 *
 * @package Syncline
 */

defined( 'ABSPATH' ) || exit;

// Declares compatibility with WooCommerce's custom order tables (HPOS): every order access goes through wc_get_order().
add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
		}
	}
);

if ( version_compare( PHP_VERSION, '8.1', '<' ) ) {
	add_action(
		'admin_notices',
		static function () {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'Syncline needs PHP 8.1 or later.', 'syncline' ) . '</p></div>';
		}
	);
	return;
}

require_once __DIR__ . '/includes/autoload.php';

Syncline\Plugin::boot( __FILE__ );

<?php
/**
 * PHPUnit bootstrap: unit tests always run; integration tests run in-process against the WordPress site at
 * SYNCLINE_WP_PATH (installed, with Syncline and WooCommerce or its stand-in active, MariaDB running).
 *
 * @package Syncline
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- WordPress's own globals must be global here.

require_once dirname( __DIR__, 2 ) . '/vendor/autoload.php';

$syncline_wp_path = getenv( 'SYNCLINE_WP_PATH' );
if ( false === $syncline_wp_path || '' === $syncline_wp_path ) {
	fwrite( STDERR, "SYNCLINE_WP_PATH is not set: integration tests are skipped (unit tests still run).\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	return;
}
if ( ! is_readable( $syncline_wp_path . '/wp-load.php' ) ) {
	fwrite( STDERR, "SYNCLINE_WP_PATH={$syncline_wp_path} has no wp-load.php.\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput
	exit( 1 );
}

// PHPUnit includes this file inside a method: WordPress's file-scope variables must be made global first.
global $wpdb, $table_prefix, $current_site, $current_blog, $wp_rewrite, $shortcode_tags, $wp, $phpmailer, $wp_theme_directories,
	$wp_version, $wp_db_version, $wp_locale, $wp_query, $wp_the_query, $wp_roles, $wp_widget_factory, $wp_embed, $wp_filter, $wp_actions,
	$wp_current_filter, $wp_plugin_paths, $wp_object_cache, $pagenow, $allowedtags, $allowedposttags;

$_SERVER['HTTP_HOST']   = $_SERVER['HTTP_HOST'] ?? 'localhost';
$_SERVER['SERVER_NAME'] = $_SERVER['SERVER_NAME'] ?? 'localhost';
$_SERVER['REQUEST_URI'] = $_SERVER['REQUEST_URI'] ?? '/';
define( 'SYNCLINE_TESTING', true );
require_once $syncline_wp_path . '/wp-load.php';
require_once __DIR__ . '/Integration/IntegrationTestCase.php';

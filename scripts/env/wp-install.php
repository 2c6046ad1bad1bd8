<?php
/**
 * Installs WordPress in a site created by wp-env.ts and activates WooCommerce (or its stand-in), Syncline and
 * the test helper. Usage: php wp-install.php <site path> <url> <hpos on|off>. Prints one JSON line.
 */
// phpcs:disable WordPress.Security.EscapeOutput.OutputNotEscaped
$syncline_site = $argv[1];
$syncline_url  = wp_parse_url_cli( $argv[2] );
$syncline_hpos = 'on' === ( $argv[3] ?? 'on' );

/**
 * Minimal URL split before WordPress is loaded.
 *
 * @param string $url URL.
 * @return array<string,string>
 */
function wp_parse_url_cli( string $url ): array {
	$parts = parse_url( $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url
	return array( 'host' => $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) );
}

$_SERVER['HTTP_HOST']   = $syncline_url['host'];
$_SERVER['SERVER_NAME'] = $syncline_url['host'];
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_INSTALLING', true );
require $syncline_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

wp_install( 'Syncline Store', 'admin', 'admin@example.test', true, '', 'password' );
wp_insert_user( array( 'user_login' => 'editor', 'user_pass' => 'password', 'user_email' => 'editor@example.test', 'role' => 'editor' ) );
wp_insert_user( array( 'user_login' => 'customer', 'user_pass' => 'password', 'user_email' => 'customer@example.test', 'role' => 'subscriber' ) );
foreach ( array( 'woocommerce/woocommerce.php', 'syncline/plugin.php', 'syncline-test-helper/syncline-test-helper.php' ) as $syncline_plugin ) {
	$syncline_result = activate_plugin( $syncline_plugin );
	if ( is_wp_error( $syncline_result ) ) {
		fwrite( STDERR, $syncline_plugin . ': ' . $syncline_result->get_error_message() . "\n" );
		exit( 1 );
	}
}
// A real WooCommerce creates its order tables (HPOS) in the "newly installed" routine of the first wp-admin page
// load, not on activation from the command line: create them here, then choose the storage on purpose.
$syncline_sync = '\\Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\DataSynchronizer';
if ( $syncline_hpos && function_exists( 'wc_get_container' ) && class_exists( $syncline_sync ) ) {
	$syncline_synchronizer = wc_get_container()->get( $syncline_sync );
	if ( ! $syncline_synchronizer->check_orders_table_exists() ) {
		$syncline_synchronizer->create_database_tables();
	}
}
update_option( 'woocommerce_custom_orders_table_enabled', $syncline_hpos ? 'yes' : 'no' );
// A site like a real one: pretty permalinks (so /wp-json/ routes) and the default theme when the core has it.
if ( wp_get_theme( 'twentytwentyfive' )->exists() ) {
	switch_theme( 'twentytwentyfive' );
}
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );
echo wp_json_encode(
	array(
		'secret'     => get_option( 'syncline_secret' ),
		'wc_version' => defined( 'WC_VERSION' ) ? WC_VERSION : 'none',
		'wp_version' => get_bloginfo( 'version' ),
		'theme'      => get_stylesheet(),
	)
) . "\n";

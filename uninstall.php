<?php
/**
 * Uninstall: drops Syncline's tables and options, only when the site asked for it
 * (option `syncline_delete_data_on_uninstall` = 'yes'); otherwise the outbox history is kept.
 *
 * @package Syncline
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

if ( 'yes' !== get_option( 'syncline_delete_data_on_uninstall' ) ) {
	return;
}

global $wpdb;
foreach ( array( 'events', 'nonces', 'sku_map', 'event_log' ) as $syncline_table ) {
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- fixed table names.
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}syncline_{$syncline_table}" );
}
foreach ( array( 'syncline_secret', 'syncline_schema_version', 'syncline_heartbeats', 'syncline_settings', 'syncline_delete_data_on_uninstall' ) as $syncline_option ) {
	delete_option( $syncline_option );
}

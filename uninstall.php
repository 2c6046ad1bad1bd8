<?php
/**
 * Deleting the plugin: drops every Syncline table and option, only when the opt-in (Settings → "Delete all
 * Syncline data when the plugin is deleted") is on. The lists live in OutboxSchema::TABLES and ::OPTIONS, plus the
 * reconciliation tables (ReconcileSchema); then Syncline's order meta and saved list views (DataRemoval).
 *
 * @package Syncline
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/autoload.php';

if ( 'yes' !== get_option( Syncline\Infrastructure\Options::DELETE_DATA ) ) {
	return;
}

Syncline\Hooks\Schedules::unschedule();
( new Syncline\Reconcile\ReconcileSchema( new Syncline\Infrastructure\Db( $GLOBALS['wpdb'] ), new Syncline\Infrastructure\Options() ) )->drop();
( new Syncline\Outbox\OutboxSchema( new Syncline\Infrastructure\Db( $GLOBALS['wpdb'] ), new Syncline\Infrastructure\Options() ) )->drop_all();
( new Syncline\Infrastructure\DataRemoval( new Syncline\Infrastructure\Db( $GLOBALS['wpdb'] ) ) )->remove();

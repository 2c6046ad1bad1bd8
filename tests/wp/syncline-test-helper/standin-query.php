<?php
/**
 * The part of wc_get_orders() Syncline's sweep and resync use, over the WooCommerce stand-in's table (real
 * WooCommerce has its own). Loaded only when the stand-in is active.
 *
 * phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL, WordPress.DB.PreparedSQLPlaceholders, WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedFunctionFound -- WooCommerce's own function name, for the stand-in.
 *
 * @package SynclineTests
 */

/**
 * Order ids by type, status and creation date (`>=<unix time>`), oldest first.
 *
 * @param array $args type, status (wc- prefixed), date_created, limit; return must be 'ids'.
 * @return array<int, int>
 */
function wc_get_orders( array $args ): array {
	global $wpdb;
	$where = array( 'type = %s' );
	$vals  = array( (string) ( $args['type'] ?? 'shop_order' ) );
	if ( ! empty( $args['status'] ) ) {
		$statuses = array_map( static fn ( $s ) => preg_replace( '/^wc-/', '', (string) $s ), (array) $args['status'] );
		$where[]  = 'status IN (' . implode( ', ', array_fill( 0, count( $statuses ), '%s' ) ) . ')';
		$vals     = array_merge( $vals, $statuses );
	}
	if ( isset( $args['date_created'] ) && 1 === preg_match( '/^>=(\d+)$/', (string) $args['date_created'], $m ) ) {
		$where[] = "JSON_VALUE(data, '$.date_created_gmt') >= %s";
		$vals[]  = gmdate( 'Y-m-d\TH:i:s', (int) $m[1] );
	}
	$limit = (int) ( $args['limit'] ?? 10 );
	$sql   = "SELECT id FROM {$wpdb->prefix}wcstandin_orders WHERE " . implode( ' AND ', $where ) . ' ORDER BY id ' . ( 'DESC' === strtoupper( (string) ( $args['order'] ?? 'ASC' ) ) ? 'DESC' : 'ASC' ) . ( $limit > 0 ? ' LIMIT ' . $limit : '' );
	return array_map( 'intval', $wpdb->get_col( $wpdb->prepare( $sql, $vals ) ) );
}

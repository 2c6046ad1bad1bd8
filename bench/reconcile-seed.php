<?php
/**
 * Seeds N WooCommerce orders for `npm run bench -- reconcile`, inside one PHP process (`wp eval`), through
 * WooCommerce's own order API (WC_Order, HPOS-safe; Syncline's hooks record their outbox events as at any
 * checkout). Orders carry no lines (reconciliation compares status and total, not lines) and are committed 250 per
 * transaction. Writes one JSON line per order {id, cid (correlation id), total} to SYNCLINE_SEED_OUT.
 *
 * @package Syncline
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.DB.DirectDatabaseQuery -- a benchmark seeding script.
$n    = (int) getenv( 'SYNCLINE_SEED_N' );
$out  = (string) getenv( 'SYNCLINE_SEED_OUT' );
$from = (int) getenv( 'SYNCLINE_SEED_FROM' );
global $wpdb;
$fh = fopen( $out, 'wb' );
add_filter( 'woocommerce_email_enabled_new_order', '__return_false' );
$events = $wpdb->prefix . 'syncline_events';
for ( $i = 0; $i < $n; $i += 250 ) {
	$wpdb->query( 'START TRANSACTION' );
	$ids    = array();
	$totals = array();
	for ( $j = $i; $j < min( $n, $i + 250 ); $j++ ) {
		$order = new WC_Order();
		$order->set_status( 'processing' );
		$order->set_currency( 'EUR' );
		$order->set_billing_email( 'bench' . ( $from + $j ) . '@example.test' );
		$order->set_date_created( time() - 3600 );
		$total = sprintf( '%d.%02d', 10 + ( $j % 90 ), $j % 100 );
		$order->set_total( $total );
		$id            = $order->save();
		$ids[]         = $id;
		$totals[ $id ] = $total;
	}
	$wpdb->query( 'COMMIT' );
	$marks = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
	// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name and placeholders only.
	$rows = $wpdb->get_results( $wpdb->prepare( "SELECT object_id, correlation_id FROM {$events} WHERE object_type = 'order' AND object_id IN ({$marks}) GROUP BY object_id, correlation_id", $ids ), ARRAY_A );
	$cids = array_column( $rows, 'correlation_id', 'object_id' );
	foreach ( $ids as $id ) {
		fwrite( $fh, wp_json_encode( array( 'id' => $id, 'cid' => $cids[ $id ] ?? '', 'total' => $totals[ $id ] ) ) . "\n" );
	}
}
fclose( $fh );
// The seeded orders count as pushed: their events are done (the bench then removes some to seed "no outbox event").
$wpdb->query( "UPDATE {$events} SET state = 'done', pending_key = NULL WHERE object_type = 'order' AND state = 'pending'" );
echo 'seeded ' . $n . "\n";

<?php
/**
 * Plugin Name: Syncline test helper
 * Description: Test-only REST routes (syncline-test/v1) to create and change orders as WooCommerce would. Active only when SYNCLINE_TEST_TOKEN is defined; every request must send it in X-Syncline-Test-Token.
 * Version: 0.1.0
 * Requires PHP: 8.1
 * License: GPL-2.0-or-later
 *
 * @package SynclineTests
 */

defined( 'ABSPATH' ) || exit;

if ( ! defined( 'SYNCLINE_TEST_TOKEN' ) ) {
	return;
}

require_once __DIR__ . '/orders.php';
require_once __DIR__ . '/stock.php';

// The stand-in lacks wc_get_orders(); the sweep and `resync orders` need it (plugins load alphabetically, so wait).
add_action(
	'plugins_loaded',
	static function () {
		if ( ! function_exists( 'wc_get_orders' ) && function_exists( 'wcstandin_load' ) ) {
			require_once __DIR__ . '/standin-query.php';
		}
	}
);

/**
 * Permission: the shared test token.
 *
 * @param WP_REST_Request $request Request.
 * @return true|WP_Error
 */
function syncline_test_permission( WP_REST_Request $request ) {
	$given = (string) $request->get_header( 'X-Syncline-Test-Token' );
	if ( '' !== SYNCLINE_TEST_TOKEN && hash_equals( (string) SYNCLINE_TEST_TOKEN, $given ) ) {
		return true;
	}
	return new WP_Error( 'syncline_test_forbidden', 'Bad or missing X-Syncline-Test-Token.', array( 'status' => 401 ) );
}

/**
 * Registers test routes under syncline-test/v1, each behind the test token.
 *
 * @param array<int, array{0: string, 1: string, 2: callable}> $routes Path, method, work (the request → its result).
 * @param callable                                             $answer (work, request, method) → the response.
 */
function syncline_test_routes( array $routes, callable $answer ): void {
	foreach ( $routes as list( $path, $method, $work ) ) {
		register_rest_route(
			'syncline-test/v1',
			$path,
			array(
				'methods'             => $method,
				'callback'            => static fn ( WP_REST_Request $r ) => $answer( $work, $r, $method ),
				'permission_callback' => 'syncline_test_permission',
			)
		);
	}
}

/**
 * Wraps a handler: the order (wc/v3 shape + meta) or 404.
 *
 * @param callable $work Returns an order id (or 0).
 * @return WP_REST_Response|WP_Error
 */
function syncline_test_respond( callable $work ) {
	try {
		$id    = (int) $work();
		$order = syncline_test_get_order( $id );
	} catch ( Throwable $e ) {
		return new WP_Error( 'syncline_test_error', $e->getMessage(), array( 'status' => 500 ) );
	}
	if ( null === $order ) {
		return new WP_Error( 'syncline_test_not_found', 'No such order.', array( 'status' => 404 ) );
	}
	return new WP_REST_Response( $order, 200 );
}

add_action(
	'rest_api_init',
	static function () {
		$routes = array(
			array( '/orders', 'POST', static fn ( $r ) => syncline_test_create_order( (array) $r->get_json_params() ) ),
			array( '/orders/(?P<id>\d+)', 'GET', static fn ( $r ) => (int) $r['id'] ),
			array( '/orders/(?P<id>\d+)/status', 'POST', static fn ( $r ) => syncline_test_update_status( (int) $r['id'], (string) $r['status'] ) ),
			array( '/orders/(?P<id>\d+)/paid', 'POST', static fn ( $r ) => syncline_test_mark_paid( (int) $r['id'], (string) $r['transaction_id'] ) ),
			array( '/orders/(?P<id>\d+)/refunds', 'POST', static fn ( $r ) => syncline_test_refund( (int) $r['id'], (array) $r->get_json_params() ) ),
			array( '/orders/(?P<id>\d+)/trash', 'POST', static fn ( $r ) => syncline_test_trash( (int) $r['id'] ) ),
			array( '/orders/(?P<id>\d+)', 'DELETE', static fn ( $r ) => syncline_test_delete( (int) $r['id'] ) ),
		);
		syncline_test_routes(
			$routes,
			static fn ( callable $work, WP_REST_Request $r, string $method ) => 'DELETE' === $method
				? new WP_REST_Response( array( 'deleted' => $work( $r ) ), 200 )
				: syncline_test_respond( static fn () => $work( $r ) )
		);
	}
);

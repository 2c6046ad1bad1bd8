<?php
/**
 * The admin routes' own cost for `npm run bench -- admin`: inside one PHP process (`wp eval`, WordPress already
 * booted), dispatches each route variant through rest_get_server() as an administrator and times the dispatch alone
 * (permission, arguments, queries, shaping; no boot, no HTTP). Reads the routes as JSON from SYNCLINE_BENCH_ROUTES
 * ({route: [query strings]}) and SYNCLINE_BENCH_REQUESTS; prints one JSON object {route: [milliseconds]}.
 *
 * @package Syncline
 */

// phpcs:disable -- a benchmark script run by `wp eval`, not plugin code.
$routes   = json_decode( (string) getenv( 'SYNCLINE_BENCH_ROUTES' ), true );
$requests = (int) getenv( 'SYNCLINE_BENCH_REQUESTS' );
$admins   = get_users( array( 'role' => 'administrator', 'number' => 1 ) );
wp_set_current_user( (int) $admins[0]->ID );
$server = rest_get_server();
$out    = array();
foreach ( $routes as $route => $variants ) {
	$times = array();
	for ( $i = 0; $i <= $requests; $i++ ) {
		$request = new WP_REST_Request( 'GET', $route );
		parse_str( (string) $variants[ $i % count( $variants ) ], $query );
		$request->set_query_params( $query );
		$t0       = hrtime( true );
		$response = $server->dispatch( $request );
		$server->response_to_data( $response, false );
		$ms = ( hrtime( true ) - $t0 ) / 1e6;
		if ( $response->get_status() !== 200 ) {
			fwrite( STDERR, "{$route} answered {$response->get_status()}\n" );
			exit( 1 );
		}
		if ( $i > 0 ) { // The first dispatch warms the caches.
			$times[] = $ms;
		}
	}
	$out[ $route ] = $times;
}
echo wp_json_encode( $out ), "\n";

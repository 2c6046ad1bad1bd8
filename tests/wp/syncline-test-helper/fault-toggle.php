<?php
/**
 * Plugin Name: Syncline test faults
 * Description: Test-only: POST syncline-test/v1/faults/ack {"when":"before"|"after"|"status"|"disarm"} makes WordPress answer 500 to the next sidecar ack, once (for `npm run bench -- faults`): a POST /ack, or a POST /lease that carries acks (the sidecar sends most acks on its next lease). Loaded as a must-use plugin by the benchmark; active only when SYNCLINE_TEST_TOKEN is defined.
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

/**
 * Option holding the armed fault: 'before' (the ack is refused, nothing applied) or 'after' (the ack is applied,
 * then the answer is replaced by a 500, as when PHP dies after the commit).
 */
const SYNCLINE_TEST_ACK_FAULT = 'syncline_test_ack_fault';

/**
 * Takes the armed ack fault, once: only the request whose delete succeeds gets it.
 *
 * @param string $when 'before' or 'after'.
 */
function syncline_test_take_ack_fault( string $when ): bool {
	if ( get_option( SYNCLINE_TEST_ACK_FAULT ) !== $when ) {
		return false;
	}
	global $wpdb;
	$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value = %s", SYNCLINE_TEST_ACK_FAULT, $when ) );
	wp_cache_delete( SYNCLINE_TEST_ACK_FAULT, 'options' );
	wp_cache_delete( 'alloptions', 'options' );
	if ( 1 === $deleted ) {
		update_option( 'syncline_test_ack_fault_fired', $when . ' ' . gmdate( 'c' ), false );
		return true;
	}
	return false;
}

/**
 * Whether the request acknowledges results: POST /ack, or POST /lease with a non-empty `acks` list.
 *
 * @param WP_REST_Request $request The request being dispatched.
 */
function syncline_test_is_ack( WP_REST_Request $request ): bool {
	if ( '/syncline/v1/ack' === $request->get_route() ) {
		return true;
	}
	if ( '/syncline/v1/lease' !== $request->get_route() ) {
		return false;
	}
	$body = json_decode( (string) $request->get_body(), true );
	return is_array( $body ) && ! empty( $body['acks'] );
}

/**
 * The injected answer.
 */
function syncline_test_ack_error(): WP_Error {
	return new WP_Error( 'syncline_test_injected', 'Injected fault: 500 on this ack.', array( 'status' => 500 ) );
}

add_filter(
	'rest_pre_dispatch',
	static function ( $result, $server, WP_REST_Request $request ) {
		if ( null === $result && syncline_test_is_ack( $request ) && syncline_test_take_ack_fault( 'before' ) ) {
			return syncline_test_ack_error();
		}
		return $result;
	},
	1,
	3
);

add_filter(
	'rest_post_dispatch',
	static function ( $response, $server, WP_REST_Request $request ) {
		if ( syncline_test_is_ack( $request ) && syncline_test_take_ack_fault( 'after' ) ) {
			return rest_convert_error_to_response( syncline_test_ack_error() );
		}
		return $response;
	},
	1,
	3
);

add_action(
	'rest_api_init',
	static function () {
		register_rest_route(
			'syncline-test/v1',
			'/faults/ack',
			array(
				'methods'             => 'POST',
				'callback'            => static function ( WP_REST_Request $r ) {
					$when = (string) $r['when'];
					if ( in_array( $when, array( 'before', 'after' ), true ) ) {
						update_option( SYNCLINE_TEST_ACK_FAULT, $when, false );
					} elseif ( 'disarm' === $when ) {
						delete_option( SYNCLINE_TEST_ACK_FAULT );
					}
					return new WP_REST_Response(
						array(
							'armed' => (string) get_option( SYNCLINE_TEST_ACK_FAULT, '' ),
							'fired' => get_option( 'syncline_test_ack_fault_fired', '' ),
						),
						200
					);
				},
				'permission_callback' => static fn ( WP_REST_Request $r ) => hash_equals( (string) SYNCLINE_TEST_TOKEN, (string) $r->get_header( 'X-Syncline-Test-Token' ) ),
			)
		);
	}
);

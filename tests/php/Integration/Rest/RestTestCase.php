<?php
/**
 * Base of the REST tests: real dispatch through rest_get_server().
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Tests\Integration\IntegrationTestCase;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Builds signed sidecar requests as docs/ARCHITECTURE.md specifies and dispatches them in-process.
 */
abstract class RestTestCase extends IntegrationTestCase {

	/**
	 * Dispatches a signed POST.
	 *
	 * @param string               $route     REST route.
	 * @param mixed                $body      Body (array → JSON; string sent as is).
	 * @param array<string, mixed> $overrides secret, timestamp, nonce, signature, or a header => null to drop it.
	 */
	protected function signed( string $route, $body, array $overrides = array() ): WP_REST_Response {
		$raw     = is_string( $body ) ? $body : (string) wp_json_encode( $body );
		$ts      = (string) ( $overrides['timestamp'] ?? time() );
		$nonce   = (string) ( $overrides['nonce'] ?? bin2hex( random_bytes( 12 ) ) );
		$secret  = (string) ( $overrides['secret'] ?? get_option( 'syncline_secret' ) );
		$sig     = 'v1=' . hash_hmac( 'sha256', implode( "\n", array( 'POST', $route, $ts, $nonce, hash( 'sha256', $raw ) ) ), $secret );
		$headers = array(
			'X-Syncline-Timestamp' => $ts,
			'X-Syncline-Nonce'     => $nonce,
			'X-Syncline-Signature' => $overrides['signature'] ?? $sig,
		);
		foreach ( $headers as $name => $value ) {
			if ( array_key_exists( $name, $overrides ) && null === $overrides[ $name ] ) {
				unset( $headers[ $name ] );
			}
		}
		return $this->dispatch( 'POST', $route, $raw, $headers );
	}

	/**
	 * Dispatches a request through the REST server.
	 *
	 * @param string                $method  Method.
	 * @param string                $route   Route.
	 * @param string|null           $raw     Raw JSON body.
	 * @param array<string, string> $headers Headers.
	 * @param array<string, mixed>  $params  Query parameters.
	 */
	protected function dispatch( string $method, string $route, ?string $raw = null, array $headers = array(), array $params = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_header( 'Content-Type', 'application/json' );
		foreach ( $headers as $name => $value ) {
			$request->set_header( $name, $value );
		}
		if ( null !== $raw ) {
			$request->set_body( $raw );
		}
		foreach ( $params as $key => $value ) {
			$request->set_param( $key, $value );
		}
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * Signs and POSTs an ack of one result for worker w1.
	 *
	 * @param array<string, mixed> $result id, lease_token, outcome and what the outcome carries.
	 */
	protected function signed_ack( array $result ): WP_REST_Response {
		return $this->signed(
			'/syncline/v1/ack',
			array(
				'worker'  => 'w1',
				'results' => array( $result ),
			)
		);
	}

	/**
	 * PUTs one mapping through the admin route, as the admin screen does (fields as parameters).
	 *
	 * @param string $type  Mapping type: sku (wc_sku → erp_ref) or another (wc_key → erp_value).
	 * @param string $key   The WooCommerce side.
	 * @param string $value The ERP side.
	 */
	protected function put_mapping( string $type, string $key, string $value ): WP_REST_Response {
		$fields = 'sku' === $type ? array( 'wc_sku', 'erp_ref' ) : array( 'wc_key', 'erp_value' );
		return $this->dispatch( 'PUT', "/syncline/v1/admin/mappings/{$type}", null, array(), array_combine( $fields, array( $key, $value ) ) );
	}

	/**
	 * Asserts status and error code of a response.
	 *
	 * @param int              $status   Status.
	 * @param string           $code     Error code.
	 * @param WP_REST_Response $response Response.
	 */
	protected function assert_error( int $status, string $code, WP_REST_Response $response ): void {
		$data = rest_get_server()->response_to_data( $response, false );
		$this->assertSame( $status, $response->get_status(), (string) wp_json_encode( $data ) );
		$this->assertSame( $code, $data['code'] ?? null, (string) wp_json_encode( $data ) );
	}

	/**
	 * A snapshot of the outbox, nonces excluded.
	 */
	protected function snapshot(): string {
		return (string) wp_json_encode( array( $this->events(), $this->db->rows( 'SELECT * FROM ' . $this->db->table( 'event_log' ) ) ) );
	}
}

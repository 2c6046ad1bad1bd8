<?php
/**
 * HMAC authentication and replay guard of sidecar requests.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\AuthFailure;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use WP_REST_Request;

/**
 * Checks X-Syncline-Timestamp / -Nonce / -Signature as docs/ARCHITECTURE.md specifies. Every check runs before
 * the route changes anything; the nonce insert is the only write, and only for correctly signed requests.
 */
class SignatureVerifier {

	public const WINDOW_SECONDS = 300;
	public const MAX_BODY_BYTES = 1048576;

	/**
	 * Builds the verifier.
	 *
	 * @param Db      $db      Database (nonce table).
	 * @param Options $options Options (site secret).
	 * @param Clock   $clock   Time.
	 */
	public function __construct( private Db $db, private Options $options, private Clock $clock ) {
	}

	/**
	 * Verifies a signed REST request (headers per docs/ARCHITECTURE.md), then decodes its JSON body. Every signed
	 * route calls this before touching anything.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array<mixed> The decoded body.
	 * @throws AuthFailure When the signature, timestamp or nonce is refused.
	 */
	public function verified_body( WP_REST_Request $request ): array {
		$body = (string) $request->get_body();
		$this->verify(
			$request->get_method(),
			$request->get_route(),
			$body,
			(string) $request->get_header( 'X-Syncline-Timestamp' ),
			(string) $request->get_header( 'X-Syncline-Nonce' ),
			(string) $request->get_header( 'X-Syncline-Signature' )
		);
		return SidecarRequests::decode( $body );
	}

	/**
	 * Verifies a request.
	 *
	 * @param string $method    HTTP method.
	 * @param string $route     REST route, e.g. /syncline/v1/lease.
	 * @param string $body      Raw body.
	 * @param string $timestamp X-Syncline-Timestamp.
	 * @param string $nonce     X-Syncline-Nonce.
	 * @param string $signature X-Syncline-Signature.
	 * @throws AuthFailure When the request is oversized, badly signed, stale or replayed.
	 */
	public function verify( string $method, string $route, string $body, string $timestamp, string $nonce, string $signature ): void {
		if ( strlen( $body ) > self::MAX_BODY_BYTES ) {
			throw AuthFailure::too_large();
		}
		if ( 1 !== preg_match( '/^[0-9]{1,12}$/', $timestamp ) || 1 !== preg_match( '/^[A-Za-z0-9_-]{16,64}$/', $nonce ) ) {
			throw AuthFailure::bad_signature( __( 'Missing or ill-formed X-Syncline-Timestamp or X-Syncline-Nonce header.', 'syncline' ) );
		}
		if ( 1 !== preg_match( '/^v1=[0-9a-f]{64}$/', $signature ) ) {
			throw AuthFailure::bad_signature( __( 'Missing or ill-formed X-Syncline-Signature header.', 'syncline' ) );
		}
		$expected = 'v1=' . hash_hmac( 'sha256', self::string_to_sign( $method, $route, $timestamp, $nonce, $body ), $this->options->secret() );
		if ( ! hash_equals( $expected, $signature ) ) {
			throw AuthFailure::bad_signature( __( 'The request signature does not match.', 'syncline' ) );
		}
		if ( abs( $this->clock->now() - (int) $timestamp ) > self::WINDOW_SECONDS ) {
			throw AuthFailure::stale();
		}
		$this->remember_nonce( $nonce );
	}

	/**
	 * The string to sign: METHOD, ROUTE, TIMESTAMP, NONCE and the body's SHA-256, joined by newlines.
	 *
	 * @param string $method    HTTP method.
	 * @param string $route     REST route.
	 * @param string $timestamp Timestamp header.
	 * @param string $nonce     Nonce header.
	 * @param string $body      Raw body.
	 */
	public static function string_to_sign( string $method, string $route, string $timestamp, string $nonce, string $body ): string {
		return implode( "\n", array( strtoupper( $method ), $route, $timestamp, $nonce, hash( 'sha256', $body ) ) );
	}

	/**
	 * Records the nonce; a nonce seen before (primary key) means a replay. Old nonces are purged now and then:
	 * a nonce older than twice the window can no longer pass the timestamp check anyway.
	 *
	 * @param string $nonce Nonce.
	 * @throws AuthFailure When the nonce was already used.
	 */
	private function remember_nonce( string $nonce ): void {
		$table = $this->db->table( OutboxSchema::NONCES );
		$now   = $this->clock->now();
		if ( 0 === wp_rand( 0, 49 ) ) {
			$this->db->query( "DELETE FROM {$table} WHERE seen_at < %d", array( $now - 2 * self::WINDOW_SECONDS ) );
		}
		$inserted = $this->db->query( "INSERT IGNORE INTO {$table} (nonce, seen_at) VALUES (%s, %d)", array( $nonce, $now ) );
		if ( 1 !== $inserted ) {
			throw AuthFailure::replayed();
		}
	}
}

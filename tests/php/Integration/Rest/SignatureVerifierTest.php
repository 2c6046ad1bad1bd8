<?php
/**
 * HMAC authentication of sidecar requests, through real REST dispatch.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

/**
 * @testdox Sidecar request signatures
 */
final class SignatureVerifierTest extends RestTestCase {

	private const HEARTBEAT = array(
		'worker'  => 'w1',
		'version' => '0.1.0',
	);

	/**
	 * @testdox a correctly signed request is accepted
	 */
	public function test_good(): void {
		$response = $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT );
		$this->assertSame( 200, $response->get_status() );
		$this->assertTrue( $response->get_data()['ok'] );
	}

	/**
	 * @testdox a signature made with another secret gets 401 syncline_bad_signature
	 */
	public function test_bad_secret(): void {
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, array( 'secret' => str_repeat( 'f', 64 ) ) ) );
	}

	/**
	 * @testdox a signature for another route gets 401 (the route is signed)
	 */
	public function test_route_is_signed(): void {
		$raw      = (string) wp_json_encode( self::HEARTBEAT );
		$ts       = (string) time();
		$sig      = 'v1=' . hash_hmac( 'sha256', implode( "\n", array( 'POST', '/syncline/v1/lease', $ts, 'nonce-nonce-nonce-1', hash( 'sha256', $raw ) ) ), (string) get_option( 'syncline_secret' ) );
		$response = $this->dispatch(
			'POST',
			'/syncline/v1/heartbeat',
			$raw,
			array(
				'X-Syncline-Timestamp' => $ts,
				'X-Syncline-Nonce'     => 'nonce-nonce-nonce-1',
				'X-Syncline-Signature' => $sig,
			)
		);
		$this->assert_error( 401, 'syncline_bad_signature', $response );
	}

	/**
	 * @testdox a timestamp more than 300 s away gets 401 syncline_stale_request
	 */
	public function test_stale(): void {
		$this->assert_error( 401, 'syncline_stale_request', $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, array( 'timestamp' => time() - 301 ) ) );
		$this->assert_error( 401, 'syncline_stale_request', $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, array( 'timestamp' => time() + 301 ) ) );
	}

	/**
	 * @testdox a nonce used twice gets 401 syncline_replayed_request the second time
	 */
	public function test_replay(): void {
		$nonce = 'replay-' . bin2hex( random_bytes( 8 ) );
		$this->assertSame( 200, $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, array( 'nonce' => $nonce ) )->get_status() );
		$this->assert_error( 401, 'syncline_replayed_request', $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, array( 'nonce' => $nonce ) ) );
	}

	/**
	 * @testdox missing or ill-formed headers get 401 syncline_bad_signature
	 *
	 * @dataProvider malformed_headers
	 * @param array<string, mixed> $overrides Header changes.
	 */
	public function test_malformed( array $overrides ): void {
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( '/syncline/v1/heartbeat', self::HEARTBEAT, $overrides ) );
	}

	/**
	 * Header changes that make a request ill-formed.
	 *
	 * @return array<string, array<int, array<string, mixed>>>
	 */
	public function malformed_headers(): array {
		return array(
			'no signature'        => array( array( 'X-Syncline-Signature' => null ) ),
			'no timestamp'        => array( array( 'X-Syncline-Timestamp' => null ) ),
			'no nonce'            => array( array( 'X-Syncline-Nonce' => null ) ),
			'short nonce'         => array( array( 'nonce' => 'short' ) ),
			'nonce with spaces'   => array( array( 'nonce' => 'has spaces in it here' ) ),
			'timestamp not digit' => array( array( 'timestamp' => '12ab' ) ),
			'no v1= prefix'       => array( array( 'signature' => str_repeat( 'a', 64 ) ) ),
			'upper-case hex'      => array( array( 'signature' => 'v1=' . str_repeat( 'A', 64 ) ) ),
		);
	}

	/**
	 * @testdox a body over 1 MiB gets 413 syncline_payload_too_large
	 */
	public function test_too_large(): void {
		$body = (string) wp_json_encode( self::HEARTBEAT + array( 'pad' => str_repeat( 'x', 1048576 ) ) );
		$this->assert_error( 413, 'syncline_payload_too_large', $this->signed( '/syncline/v1/heartbeat', $body ) );
	}
}

<?php
/**
 * The sidecar routes refuse bad input and change nothing.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

/**
 * @testdox Sidecar route validation
 */
final class SidecarValidationTest extends RestTestCase {

	/**
	 * @testdox bad bodies get 400 syncline_invalid_request naming the field, and change nothing
	 *
	 * @dataProvider bad_bodies
	 * @param string $route Route.
	 * @param mixed  $body  Body.
	 * @param string $field Field named in the errors.
	 */
	public function test_bad_bodies( string $route, $body, string $field ): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$before   = $this->snapshot();
		$response = $this->signed( $route, $body );
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$this->assertArrayHasKey( $field, $response->get_data()['data']['errors'] ?? $response->as_error()->get_error_data()['errors'] );
		$this->assertSame( $before, $this->snapshot() );
	}

	/**
	 * Invalid bodies per route.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function bad_bodies(): array {
		$lease = array(
			'worker'        => 'w1',
			'limit'         => 5,
			'lease_seconds' => 30,
			'wait_seconds'  => 0,
		);
		$refs  = array( 'erp' => 'd' );
		// One ack of one result: event 1, a well-formed token, outcome done, with what the case changes or adds.
		$ack = static fn ( array $result ): array => array(
			'worker'  => 'w1',
			'results' => array(
				array_merge(
					array(
						'id'          => 1,
						'lease_token' => str_repeat( 'a', 32 ),
						'outcome'     => 'done',
					),
					$result
				),
			),
		);
		return array(
			'lease: malformed JSON'         => array( '/syncline/v1/lease', '{"worker": ', 'body' ),
			'lease: a JSON array'           => array( '/syncline/v1/lease', '[1,2]', 'body' ),
			'lease: negative limit'         => array( '/syncline/v1/lease', array( 'limit' => -1 ) + $lease, 'limit' ),
			'lease: limit as a string'      => array( '/syncline/v1/lease', array( 'limit' => '10' ) + $lease, 'limit' ),
			'lease: empty worker'           => array( '/syncline/v1/lease', array( 'worker' => '' ) + $lease, 'worker' ),
			'lease: long lease'             => array( '/syncline/v1/lease', array( 'lease_seconds' => 100000 ) + $lease, 'lease_seconds' ),
			'lease: wait over 25 s'         => array( '/syncline/v1/lease', array( 'wait_seconds' => 26 ) + $lease, 'wait_seconds' ),
			'lease: no worker'              => array( '/syncline/v1/lease', array( 'limit' => 5 ), 'worker' ),
			'ack: malformed JSON'           => array( '/syncline/v1/ack', '{', 'body' ),
			'ack: no results'               => array(
				'/syncline/v1/ack',
				array(
					'worker'  => 'w1',
					'results' => array(),
				),
				'results',
			),
			'ack: unknown outcome'          => array( '/syncline/v1/ack', $ack( array( 'outcome' => 'maybe' ) ), 'results[0].outcome' ),
			'ack: done without refs'        => array( '/syncline/v1/ack', $ack( array() ), 'results[0].refs' ),
			'ack: bad covers version'       => array(
				'/syncline/v1/ack',
				$ack(
					array(
						'refs'   => $refs,
						'covers' => array(
							array(
								'id'      => 2,
								'version' => -1,
							),
						),
					)
				),
				'results[0].covers[0]',
			),
			'ack: retry without error code' => array(
				'/syncline/v1/ack',
				$ack(
					array(
						'outcome' => 'retry',
						'error'   => array( 'message' => 'x' ),
					)
				),
				'results[0].error.code',
			),
			'ack: short token'              => array(
				'/syncline/v1/ack',
				$ack(
					array(
						'lease_token' => 'abc',
						'refs'        => $refs,
					)
				),
				'results[0].lease_token',
			),
			'ack: id zero'                  => array(
				'/syncline/v1/ack',
				$ack(
					array(
						'id'   => 0,
						'refs' => $refs,
					)
				),
				'results[0].id',
			),
			'heartbeat: malformed JSON'     => array( '/syncline/v1/heartbeat', 'nope', 'body' ),
			'heartbeat: no version'         => array( '/syncline/v1/heartbeat', array( 'worker' => 'w1' ), 'version' ),
			'heartbeat: counter not int'    => array(
				'/syncline/v1/heartbeat',
				array(
					'worker'   => 'w1',
					'version'  => '1',
					'counters' => array( 'pushed' => 'x' ),
				),
				'counters.pushed',
			),
			'heartbeat: unknown circuit'    => array(
				'/syncline/v1/heartbeat',
				array(
					'worker'  => 'w1',
					'version' => '1',
					'erp'     => array( 'circuit' => 'ajar' ),
				),
				'erp.circuit',
			),
		);
	}

	/**
	 * @testdox every route refuses an unsigned request with 401 before reading the body, and changes nothing
	 */
	public function test_unsigned(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$before = $this->snapshot();
		foreach ( array( 'lease', 'ack', 'heartbeat' ) as $route ) {
			$this->assert_error( 401, 'syncline_bad_signature', $this->dispatch( 'POST', "/syncline/v1/{$route}", '{"worker":' ) );
			$this->assert_error( 413, 'syncline_payload_too_large', $this->signed( "/syncline/v1/{$route}", str_repeat( ' ', 1048577 ) ) );
		}
		$this->assertSame( $before, $this->snapshot() );
	}
}

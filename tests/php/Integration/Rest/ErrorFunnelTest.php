<?php
/**
 * The one REST error funnel: exception class → status; details of an internal error only to managers.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Exception\AuthFailure;
use Syncline\Exception\Conflict;
use Syncline\Exception\InvalidRequest;
use Syncline\Exception\NotFound;
use Syncline\Exception\StorageError;

/**
 * @testdox REST error funnel
 */
final class ErrorFunnelTest extends RestTestCase {

	/**
	 * Where error_log() wrote before the test (the expected 500s' log lines go to /dev/null).
	 *
	 * @var string
	 */
	private string $old_log = '';

	/** Logs into /dev/null. */
	protected function setUp(): void {
		parent::setUp();
		$this->old_log = (string) ini_get( 'error_log' );
		ini_set( 'error_log', '/dev/null' ); // phpcs:ignore WordPress.PHP.IniSet.Risky -- restored in tearDown.
	}

	/** Restores error_log. */
	protected function tearDown(): void {
		ini_set( 'error_log', $this->old_log ); // phpcs:ignore WordPress.PHP.IniSet.Risky -- restoring.
		parent::tearDown();
	}

	/**
	 * The funnel's answer to an exception, as a client sees it.
	 *
	 * @param \Throwable $e What the route throws.
	 * @return array{0: int, 1: array<string, mixed>}
	 */
	private function answer( \Throwable $e ): array {
		$response = rest_convert_error_to_response(
			( new FunnelProbe() )->call(
				static function () use ( $e ): never {
					throw $e;
				}
			)
		);
		return array( $response->get_status(), rest_get_server()->response_to_data( $response, false ) );
	}

	/**
	 * @testdox $class answers $status $code
	 *
	 * @dataProvider cases
	 * @param string     $class  Label.
	 * @param \Throwable $e      Exception.
	 * @param int        $status Expected status.
	 * @param string     $code   Expected error code.
	 */
	public function test_status( string $class, \Throwable $e, int $status, string $code ): void {
		$this->login_as( 'administrator' );
		list( $got, $data ) = $this->answer( $e );
		$this->assertSame( $status, $got, $class );
		$this->assertSame( $code, $data['code'] );
	}

	/**
	 * Exception → status, code.
	 *
	 * @return array<string, array{0: string, 1: \Throwable, 2: int, 3: string}>
	 */
	public function cases(): array {
		return array(
			'InvalidRequest'        => array( 'InvalidRequest', InvalidRequest::with( 'bad', array( 'a' => 'b' ) ), 400, 'syncline_invalid_request' ),
			'NotFound'              => array( 'NotFound', new NotFound( 'none' ), 404, 'syncline_not_found' ),
			'Conflict'              => array( 'Conflict', new Conflict( 'state' ), 409, 'syncline_conflict' ),
			'AuthFailure (401)'     => array( 'AuthFailure', AuthFailure::replayed(), 401, 'syncline_replayed_request' ),
			'AuthFailure (413)'     => array( 'AuthFailure', AuthFailure::too_large(), 413, 'syncline_payload_too_large' ),
			'StorageError'          => array( 'StorageError', StorageError::from_db( 'Table wp_x is full' ), 500, 'syncline_internal_error' ),
			'any other Throwable'   => array( 'TypeError', new \TypeError( 'int given' ), 500, 'syncline_internal_error' ),
			'a plain invalid input' => array( 'InvalidArgumentException', new \InvalidArgumentException( 'x' ), 500, 'syncline_internal_error' ),
		);
	}

	/**
	 * @testdox field errors of an invalid request reach the client as data.errors
	 */
	public function test_field_errors(): void {
		list( , $data ) = $this->answer( InvalidRequest::with( 'Some settings are not valid.', array( 'erp_url' => 'must be http(s)' ) ) );
		$this->assertSame( 'Some settings are not valid.', $data['message'] );
		$this->assertSame( array( 'erp_url' => 'must be http(s)' ), $data['data']['errors'] );
	}

	/**
	 * @testdox a manager gets the class of an internal error, an editor only its reference; nobody gets its text
	 */
	public function test_details_by_capability(): void {
		$this->login_as( 'administrator' );
		list( , $manager ) = $this->answer( StorageError::from_db( 'SELECT password FROM wp_users' ) );
		$this->assertSame( StorageError::class, $manager['data']['details']['exception'] );
		$this->assertSame( FunnelProbe::class, $manager['data']['details']['where'] );
		$this->assertStringNotContainsString( 'wp_users', (string) wp_json_encode( $manager ) );

		$this->login_as( 'editor' );
		list( $status, $editor ) = $this->answer( StorageError::from_db( 'SELECT password FROM wp_users' ) );
		$this->assertSame( 500, $status );
		$this->assertArrayNotHasKey( 'details', $editor['data'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{12}$/', (string) $editor['data']['reference'] );
		$this->assertStringNotContainsString( 'wp_users', (string) wp_json_encode( $editor ) );
		$this->assertStringNotContainsString( 'StorageError', (string) wp_json_encode( $editor ) );
	}

	/**
	 * @testdox every admin route is registered once, under the one namespace, and denies an editor
	 */
	public function test_one_namespace(): void {
		$routes = array_filter( array_keys( rest_get_server()->get_routes() ), static fn( string $r ): bool => str_starts_with( $r, '/syncline/v1/admin/' ) );
		$this->assertGreaterThanOrEqual( 15, count( $routes ) );
		$this->login_as( 'editor' );
		foreach ( array( '/syncline/v1/admin/exceptions', '/syncline/v1/admin/mappings/history', '/syncline/v1/admin/mappings/sku/history', '/syncline/v1/admin/overview', '/syncline/v1/admin/events' ) as $route ) {
			$this->assert_error( 403, 'syncline_forbidden', $this->dispatch( 'GET', $route ) );
		}
		$this->assert_error( 403, 'syncline_forbidden', $this->dispatch( 'POST', '/syncline/v1/admin/exceptions/retry', null, array(), array( 'groups' => array( 'order:1:x' ) ) ) );
	}
}

<?php
/**
 * A 500 from any REST funnel carries a reference, never the exception's text; the text is in the log.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Tests\Integration\Rest\FunnelProbe;
use Syncline\Tests\Integration\Rest\RestTestCase;

/**
 * @testdox Internal errors
 */
final class InternalErrorTest extends RestTestCase {

	private const SECRET = 'SELECT * FROM wp_users /var/www/secret.php db-host:3306';

	/**
	 * Where error_log() wrote before the test.
	 *
	 * @var string
	 */
	private string $old_log = '';

	/**
	 * A temporary log file.
	 *
	 * @var string
	 */
	private string $log = '';

	/** An administrator (who used to see the raw text); error_log() into a temporary file. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'administrator' );
		$this->log     = (string) tempnam( sys_get_temp_dir(), 'syncline-log' );
		$this->old_log = (string) ini_get( 'error_log' );
		ini_set( 'error_log', $this->log ); // phpcs:ignore WordPress.PHP.IniSet.Risky -- restored in tearDown.
	}

	/** Restores error_log. */
	protected function tearDown(): void {
		ini_set( 'error_log', $this->old_log ); // phpcs:ignore WordPress.PHP.IniSet.Risky -- restoring.
		wp_delete_file( $this->log );
		parent::tearDown();
	}

	/**
	 * @testdox the funnel answers a generic 500 with a reference, and logs the details under that reference
	 */
	public function test_no_leak(): void {
		$throw    = static function (): never {
			throw new \RuntimeException( self::SECRET );
		};
		$funnel   = new FunnelProbe();
		$response = rest_convert_error_to_response( $funnel->call( $throw ) );
		$data     = rest_get_server()->response_to_data( $response, false );
		$json     = (string) wp_json_encode( $data );
		$this->assertSame( 500, $response->get_status() );
		$this->assertSame( 'syncline_internal_error', $data['code'] );
		$this->assertStringNotContainsString( 'wp_users', $json );
		$this->assertStringNotContainsString( 'secret.php', $json );
		$reference = (string) $data['data']['reference'];
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{12}$/', $reference );
		$this->assertStringContainsString( $reference, (string) $data['message'] );
		$logged = (string) file_get_contents( $this->log ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local temp file.
		$this->assertStringContainsString( '[ref ' . $reference . ']', $logged );
		$this->assertStringContainsString( self::SECRET, $logged );
	}
}

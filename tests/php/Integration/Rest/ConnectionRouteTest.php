<?php
/**
 * POST /sidecar/connection: the Settings screen's ERP connection, for a signed sidecar only.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Infrastructure\Options;

/**
 * @testdox Sidecar connection route
 */
final class ConnectionRouteTest extends RestTestCase {

	private const ROUTE = '/syncline/v1/sidecar/connection';

	/** The options cache outlives the rolled-back rows of an earlier test: start from the database. */
	protected function setUp(): void {
		parent::setUp();
		wp_cache_flush();
	}

	/**
	 * @testdox a signed sidecar gets the ERP connection saved in Settings, key included
	 */
	public function test_settings_connection(): void {
		update_option(
			Options::SETTINGS,
			array(
				'erp_type'     => 'dolibarr',
				'erp_url'      => 'https://erp.example/api/index.php',
				'erp_api_key'  => 'k-123',
				'warehouse_id' => 4,
				'ref_prefix'   => 'SHOP2-',
			)
		);
		$response = $this->signed( self::ROUTE, array() );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'erp' => array(
					'type'              => 'dolibarr',
					'url'               => 'https://erp.example/api/index.php',
					'api_key'           => 'k-123',
					'warehouse_id'      => 4,
					'ref_client_prefix' => 'SHOP2-',
				),
			),
			$response->get_data()
		);
	}

	/**
	 * @testdox an Odoo connection is served in the sidecar's config shape: site root, database and login
	 */
	public function test_odoo_connection(): void {
		update_option(
			Options::SETTINGS,
			array(
				'erp_type'     => 'odoo',
				'erp_url'      => 'https://odoo.example',
				'erp_api_key'  => 'odoo-key',
				'erp_database' => 'shop',
				'erp_login'    => 'sync@shop.example',
				'warehouse_id' => 1,
			)
		);
		$response = $this->signed( self::ROUTE, array() );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'type'              => 'odoo',
				'url'               => 'https://odoo.example',
				'api_key'           => 'odoo-key',
				'warehouse_id'      => 1,
				'ref_client_prefix' => 'WC-',
				'database'          => 'shop',
				'login'             => 'sync@shop.example',
			),
			$response->get_data()['erp']
		);
	}

	/**
	 * @testdox no ERP URL or no key in Settings is a 404; an unsigned request is a 401 that carries nothing
	 */
	public function test_not_set_and_unsigned(): void {
		update_option( Options::SETTINGS, array( 'erp_url' => 'https://erp.example/api/index.php' ) );
		$this->assert_error( 404, 'syncline_not_found', $this->signed( self::ROUTE, array() ) );
		update_option(
			Options::SETTINGS,
			array(
				'erp_url'     => 'https://erp.example/api/index.php',
				'erp_api_key' => 'k-123',
			)
		);
		$this->login_as( 'administrator' );
		$unsigned = $this->dispatch( 'POST', self::ROUTE, '{}' );
		$this->assert_error( 401, 'syncline_bad_signature', $unsigned );
		$this->assertStringNotContainsString( 'k-123', (string) wp_json_encode( $unsigned->get_data() ) );
	}
}

<?php
/**
 * POST /sidecar/connection: the Settings screen's ERP connection and ATS rules, for a signed sidecar only.
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
				'erp'   => array(
					'type'              => 'dolibarr',
					'url'               => 'https://erp.example/api/index.php',
					'api_key'           => 'k-123',
					'warehouse_id'      => 4,
					'ref_client_prefix' => 'SHOP2-',
				),
				'stock' => array(
					'channel' => 'web',
					'rules'   => null,
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
	 * @testdox the ATS rules saved in Settings are served as the sidecar's stock block, maps as JSON objects
	 */
	public function test_stock_rules(): void {
		$this->login_as( 'administrator' );
		$saved = $this->dispatch(
			'POST',
			'/syncline/v1/admin/settings',
			(string) wp_json_encode(
				array(
					'erp_url'      => 'https://erp.example/api/index.php',
					'warehouse_id' => 1,
					'ats_channel'  => 'shop',
					'ats_rules'    => array(
						'channels'    => array( 'shop' => array( '1', '2' ) ),
						'safetyStock' => array( 'global' => 3 ),
						'reserve'     => array( 'shop' => array( 'units' => 4 ) ),
						'kits'        => array( 'DUO' => array( 'components' => array( 'MUG' => 2 ) ) ),
					),
				)
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$response = $this->signed( self::ROUTE, array() );
		$this->assertSame( 200, $response->get_status() );
		$this->assertNull( $response->get_data()['erp'], 'no key yet: no ERP block' );
		$this->assertSame(
			'{"channel":"shop","rules":{"channels":{"shop":["1","2"]},"safetyStock":{"global":3,"perSku":{}},"reserve":{"shop":{"units":4}},"kits":{"DUO":{"components":{"MUG":2}}}}}',
			wp_json_encode( $response->get_data()['stock'] )
		);
	}

	/**
	 * @testdox no ERP URL or no key in Settings serves no ERP block; an unsigned request is a 401 that carries nothing
	 */
	public function test_not_set_and_unsigned(): void {
		update_option( Options::SETTINGS, array( 'erp_url' => 'https://erp.example/api/index.php' ) );
		$response = $this->signed( self::ROUTE, array() );
		$this->assertSame( 200, $response->get_status() );
		$this->assertNull( $response->get_data()['erp'] );
		delete_option( Options::SETTINGS );
		$this->assertNull( $this->signed( self::ROUTE, array() )->get_data()['erp'] );
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

<?php
/**
 * GET/POST /admin/settings: the key is bound to its ERP URL; the prefix and the uninstall opt-in.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\Mappings;

/**
 * @testdox Settings
 */
final class SettingsTest extends SettingsTestCase {

	/**
	 * The stored key.
	 */
	private function stored_key(): string {
		return (string) ( get_option( Options::SETTINGS )['erp_api_key'] ?? '' );
	}

	/**
	 * @testdox a new ERP URL without a new key clears the stored key and says so; the same URL keeps it
	 */
	public function test_url_change_clears_key(): void {
		$this->assertSame( 200, $this->save( array( 'erp_api_key' => 'secret-key-1' ) )->get_status() );
		$same = $this->save( array() )->get_data();
		$this->assertTrue( $same['erp_api_key_set'] );
		$this->assertSame( array(), $same['notices'] );
		$this->assertSame( 'secret-key-1', $this->stored_key() );

		$moved = $this->save( array( 'erp_url' => 'https://attacker.example/api/index.php' ) );
		$this->assertSame( 200, $moved->get_status() );
		$this->assertFalse( $moved->get_data()['erp_api_key_set'] );
		$this->assertArrayHasKey( 'erp_api_key', $moved->get_data()['notices'] );
		$this->assertSame( '', $this->stored_key() );
		$this->assertStringNotContainsString( 'secret-key-1', (string) wp_json_encode( $moved->get_data() ) );
	}

	/**
	 * @testdox a new ERP URL with a new key stores both
	 */
	public function test_url_change_with_key(): void {
		$this->save( array( 'erp_api_key' => 'secret-key-1' ) );
		$data = $this->save(
			array(
				'erp_url'     => 'https://erp2.example.com/api/index.php',
				'erp_api_key' => 'secret-key-2',
			)
		)->get_data();
		$this->assertTrue( $data['erp_api_key_set'], (string) wp_json_encode( array( $data, get_option( Options::SETTINGS ) ) ) );
		$this->assertSame( array(), $data['notices'] );
		$this->assertSame( 'secret-key-2', $this->stored_key() );
	}

	/**
	 * @testdox the order reference prefix defaults to WC-, is stored, and a bad one is a field error
	 */
	public function test_ref_prefix(): void {
		$this->assertSame( 'WC-', $this->save( array() )->get_data()['ref_prefix'] );
		$this->assertSame( 'SHOP2-', $this->save( array( 'ref_prefix' => 'SHOP2-' ) )->get_data()['ref_prefix'] );
		$this->assertSame( 'SHOP2-', $this->save( array() )->get_data()['ref_prefix'] );
		foreach ( array( '', 'has space', str_repeat( 'x', 21 ), '<b>' ) as $bad ) {
			$this->assertSame( 400, $this->save( array( 'ref_prefix' => $bad ) )->get_status(), $bad );
		}
		$this->assertSame( 'SHOP2-', get_option( Options::SETTINGS )['ref_prefix'] );
	}

	/**
	 * @testdox the uninstall opt-in is off by default, set and cleared through the settings, and read back
	 */
	public function test_uninstall_opt_in(): void {
		$this->assertFalse( $this->dispatch( 'GET', self::ROUTE )->get_data()['delete_data_on_uninstall'] );
		$this->assertTrue( $this->save( array( 'delete_data_on_uninstall' => true ) )->get_data()['delete_data_on_uninstall'] );
		$this->assertSame( 'yes', get_option( Options::DELETE_DATA ) );
		$this->assertTrue( $this->save( array() )->get_data()['delete_data_on_uninstall'] );
		$this->assertFalse( $this->save( array( 'delete_data_on_uninstall' => false ) )->get_data()['delete_data_on_uninstall'] );
		$this->assertSame( 'no', get_option( Options::DELETE_DATA ) );
		$this->assertSame( 400, $this->save( array( 'delete_data_on_uninstall' => 'maybe' ) )->get_status() );
	}

	/**
	 * @testdox the invoice point defaults to completion, is stored, reaches the lease payload's settings, and a bad one is a field error that changes nothing
	 */
	public function test_invoice_at(): void {
		$this->assertSame( 'completion', $this->dispatch( 'GET', self::ROUTE )->get_data()['invoice_at'] );
		$this->assertSame( 'capture', $this->save( array( 'invoice_at' => 'capture' ) )->get_data()['invoice_at'] );
		$this->assertSame( 'capture', $this->save( array() )->get_data()['invoice_at'], 'missing keeps the stored value' );
		$this->assertSame( array( 'invoice_at' => 'capture' ), Mappings::order_settings() );
		$bad = $this->save( array( 'invoice_at' => 'shipment' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertSame( 'capture', get_option( Options::SETTINGS )['invoice_at'] );
	}

	/**
	 * @testdox the schedules' intervals are read back, stored, and out of range is a field error naming the field
	 */
	public function test_schedule_intervals(): void {
		$view = $this->dispatch( 'GET', self::ROUTE )->get_data();
		$this->assertIsInt( $view['stock_pull_minutes'] );
		$this->assertSame( 24, $view['reconcile_hours'] );
		$saved = $this->save(
			array(
				'stock_pull_minutes' => 30,
				'reconcile_hours'    => 6,
			)
		)->get_data();
		$this->assertSame( array( 30, 6 ), array( $saved['stock_pull_minutes'], $saved['reconcile_hours'] ) );
		$bad = $this->save( array( 'reconcile_hours' => 500 ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'reconcile_hours', (array) ( $bad->get_data()['data']['errors'] ?? array() ), (string) wp_json_encode( $bad->get_data() ) );
		$this->assertSame( 6, get_option( Options::SETTINGS )['reconcile_hours'] );
	}

	/**
	 * @testdox Odoo is offered: its database and login are required field errors, then stored and read back; Dolibarr ignores and clears them
	 */
	public function test_odoo_fields(): void {
		$odoo    = array(
			'erp_type'    => 'odoo',
			'erp_url'     => 'https://odoo.example.com',
			'erp_api_key' => 'odoo-key-1',
		);
		$missing = $this->save( $odoo );
		$this->assert_error( 400, 'syncline_invalid_request', $missing );
		$fields = $missing->get_data()['data']['errors'];
		$this->assertSame( array( 'erp_database', 'erp_login' ), array_keys( $fields ) );
		$this->assertFalse( get_option( Options::SETTINGS ) );

		$bad = $this->save(
			$odoo + array(
				'erp_database' => 'my db',
				'erp_login'    => '   ',
			)
		);
		$this->assertSame( array( 'erp_database', 'erp_login' ), array_keys( $bad->get_data()['data']['errors'] ) );

		$ok = $this->save(
			$odoo + array(
				'erp_database' => 'shop_prod',
				'erp_login'    => ' sync@shop.example ',
			)
		);
		$this->assertSame( 200, $ok->get_status() );
		$this->assertSame( 'odoo', $ok->get_data()['erp_type'] );
		$this->assertSame( 'shop_prod', $ok->get_data()['erp_database'] );
		$this->assertSame( 'sync@shop.example', $ok->get_data()['erp_login'] );
		$read = $this->dispatch( 'GET', self::ROUTE )->get_data();
		$this->assertSame( array( 'odoo', 'shop_prod', 'sync@shop.example' ), array( $read['erp_type'], $read['erp_database'], $read['erp_login'] ) );

		$dolibarr = $this->save(
			array(
				'erp_url'      => 'https://odoo.example.com',
				'erp_database' => 'ignored db',
			)
		)->get_data();
		$this->assertSame( array( 'dolibarr', '', '' ), array( $dolibarr['erp_type'], $dolibarr['erp_database'], $dolibarr['erp_login'] ) );
	}

	/**
	 * @testdox an unknown ERP type is a field error
	 */
	public function test_unknown_type(): void {
		$response = $this->save( array( 'erp_type' => 'sap' ) );
		$this->assert_error( 400, 'rest_invalid_param', $response );
		$this->assertArrayHasKey( 'erp_type', $response->get_data()['data']['params'] );
		$this->assertFalse( get_option( Options::SETTINGS ) );
	}
}

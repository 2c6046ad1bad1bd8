<?php
/**
 * The admin routes over the mappings other than SKUs (order status, payment, tax, shipping, warehouses).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Outbox\Mappings;
use WP_REST_Response;

/**
 * @testdox Admin mappings (other types)
 */
final class AdminOtherMappingsTest extends RestTestCase {

	private const BASE = '/syncline/v1/admin/mappings/';

	/**
	 * Empties the mappings inside the test's transaction.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'mappings' ) );
	}

	/**
	 * The field errors of a 400.
	 *
	 * @param WP_REST_Response $response Response.
	 * @return array<string, string>
	 */
	private function field_errors( WP_REST_Response $response ): array {
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$data = rest_get_server()->response_to_data( $response, false );
		return (array) $data['data']['errors'];
	}

	/**
	 * @testdox an editor gets 403 on every mappings route
	 */
	public function test_editor_forbidden(): void {
		$this->login_as( 'editor' );
		$this->assertSame( 403, $this->dispatch( 'GET', self::BASE . 'shipping_method' )->get_status() );
		$this->assertSame( 403, $this->put_mapping( 'shipping_method', 'flat_rate', 'SHIP' )->get_status() );
		$this->assertSame( 403, $this->dispatch( 'DELETE', self::BASE . 'shipping_method/flat_rate' )->get_status() );
		$this->assertSame( 403, $this->dispatch( 'GET', self::BASE . 'history' )->get_status() );
	}

	/**
	 * @testdox each type rejects bad keys and values with a message per field
	 */
	public function test_validation(): void {
		$this->login_as( 'administrator' );
		$this->assertArrayHasKey( 'erp_value', $this->field_errors( $this->put_mapping( 'order_status', 'processing', 'maybe' ) ) );
		$this->assertArrayHasKey( 'wc_key', $this->field_errors( $this->put_mapping( 'order_status', 'not-a-status', 'push' ) ) );
		$this->assertArrayHasKey( 'erp_value', $this->field_errors( $this->put_mapping( 'payment_method', 'bacs', 'vir!' ) ) );
		$this->assertArrayHasKey( 'erp_value', $this->field_errors( $this->put_mapping( 'payment_method', 'bacs', 'VIR:x' ) ) );
		$errors = $this->field_errors( $this->put_mapping( 'tax_rate', 'abc', '20 %%' ) );
		$this->assertArrayHasKey( 'wc_key', $errors );
		$this->assertArrayHasKey( 'erp_value', $errors );
		$this->assertArrayHasKey( 'wc_key', $this->field_errors( $this->put_mapping( 'tax_rate', '0', '20' ) ) );
		$this->assertArrayHasKey( 'erp_value', $this->field_errors( $this->put_mapping( 'shipping_method', 'flat_rate', '' ) ) );
		$this->assertArrayHasKey( 'erp_value', $this->field_errors( $this->put_mapping( 'shipping_method', 'flat_rate', str_repeat( 'x', 192 ) ) ) );
		// Warehouses per channel are ATS rules in Settings: the old mapping type is no route any more.
		$this->assertSame( 404, $this->put_mapping( 'warehouse_channel', 'web', '1,3' )->get_status() );
		$this->assertArrayHasKey( 'wc_key', $this->field_errors( $this->put_mapping( 'payment_method', '', 'CHQ' ) ) );
		$this->assertSame( 404, $this->dispatch( 'GET', self::BASE . 'colour' )->get_status() );
		$this->assertSame( array(), ( new Mappings( $this->db, $this->clock ) )->get_all( 'payment_method' ) );
	}

	/**
	 * @testdox a manager saves, lists and deletes each type, and every change is in the history (who, old → new)
	 */
	public function test_save_list_delete_history(): void {
		$this->login_as( 'administrator' );
		$login = wp_get_current_user()->user_login;
		$this->assertSame( 'skip', $this->put_mapping( 'order_status', 'wc-on-hold', 'skip' )->get_data()['erp_value'] );
		$this->assertSame( 200, $this->put_mapping( 'payment_method', 'bacs', 'VIR:3' )->get_status() );
		$this->assertSame( 200, $this->put_mapping( 'tax_rate', '7', '5.5' )->get_status() );
		$this->assertSame( 200, $this->put_mapping( 'shipping_method', 'flat_rate', 'SHIP-FLAT' )->get_status() );
		$this->assertSame( 200, $this->put_mapping( 'shipping_method', 'flat_rate', 'SHIP-STD' )->get_status() );

		$list = $this->dispatch( 'GET', self::BASE . 'order_status' )->get_data();
		$this->assertSame( 'on-hold', $list[0]['wc_key'], 'stored without the wc- prefix' );
		$ship = $this->dispatch( 'GET', self::BASE . 'shipping_method' )->get_data();
		$this->assertCount( 1, $ship );
		$this->assertSame( 'SHIP-STD', $ship[0]['erp_value'] );
		$this->assertSame( $login, $ship[0]['updated_by'] );

		$history = $this->dispatch( 'GET', self::BASE . 'history' )->get_data();
		$this->assertSame( 'shipping_method', $history[0]['type'] );
		$this->assertSame( 'flat_rate', $history[0]['wc_key'] );
		$this->assertSame( 'SHIP-FLAT', $history[0]['old'] );
		$this->assertSame( 'SHIP-STD', $history[0]['new'] );
		$this->assertSame( $login, $history[0]['user'] );
		$this->assertNull( $history[1]['old'] );

		$before = count( $history );
		$this->assertSame( 200, $this->put_mapping( 'shipping_method', 'flat_rate', 'SHIP-STD' )->get_status() );
		$this->assertCount( $before, $this->dispatch( 'GET', self::BASE . 'history' )->get_data(), 'no audit line when nothing changed' );

		$this->assertSame( 200, $this->dispatch( 'DELETE', self::BASE . 'shipping_method/flat_rate' )->get_status() );
		$this->assertSame( array(), $this->dispatch( 'GET', self::BASE . 'shipping_method' )->get_data() );
		$this->assertSame( 404, $this->dispatch( 'DELETE', self::BASE . 'shipping_method/flat_rate' )->get_status() );
		$last = $this->dispatch( 'GET', self::BASE . 'history' )->get_data()[0];
		$this->assertSame( array( 'SHIP-STD', null ), array( $last['old'], $last['new'] ) );

		$orders = ( new Mappings( $this->db, $this->clock ) )->for_orders();
		$this->assertSame( array( 'order_status', 'payment_method', 'tax_rate', 'shipping_method', 'settings' ), array_keys( $orders ) );
		$this->assertSame( array( 'invoice_at' => 'completion' ), $orders['settings'] );
		$this->assertSame( array( 'bacs' => 'VIR:3' ), $orders['payment_method'] );
		$this->assertSame( array( '7' => '5.5' ), $orders['tax_rate'] );
	}
}

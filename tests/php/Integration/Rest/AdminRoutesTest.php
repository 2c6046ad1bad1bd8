<?php
/**
 * The admin routes over the outbox and the SKU map.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

/**
 * @testdox Admin routes
 */
final class AdminRoutesTest extends RestTestCase {

	/**
	 * @testdox an editor gets 403 on every admin route
	 */
	public function test_editor_forbidden(): void {
		$this->login_as( 'editor' );
		$this->assertSame( 403, $this->dispatch( 'GET', '/syncline/v1/admin/events' )->get_status() );
		$this->assertSame( 403, $this->dispatch( 'POST', '/syncline/v1/admin/events/1/retry' )->get_status() );
		$this->assertSame( 403, $this->dispatch( 'POST', '/syncline/v1/admin/events/1/discard', null, array(), array( 'reason' => 'x' ) )->get_status() );
		$this->assertSame( 403, $this->dispatch( 'GET', '/syncline/v1/admin/mappings/sku' )->get_status() );
		$this->assertSame( 403, $this->put_mapping( 'sku', 'A', 'B' )->get_status() );
	}

	/**
	 * @testdox a logged-out visitor gets 401
	 */
	public function test_anonymous(): void {
		$this->assertSame( 401, $this->dispatch( 'GET', '/syncline/v1/admin/events' )->get_status() );
	}

	/**
	 * @testdox a manager lists events by state with pagination headers, retries and discards exceptions
	 */
	public function test_manager(): void {
		$this->login_as( 'administrator' );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->writer()->record( 'order.created', 'order', $this->order_id() );
		}
		$list = $this->dispatch(
			'GET',
			'/syncline/v1/admin/events',
			null,
			array(),
			array(
				'state'    => 'pending',
				'per_page' => 2,
			)
		);
		$this->assertSame( 200, $list->get_status() );
		$this->assertCount( 2, $list->get_data() );
		$this->assertSame( '3', $list->get_headers()['X-WP-Total'] );
		$this->assertSame( '2', $list->get_headers()['X-WP-TotalPages'] );
		$ev = $this->repository()->claim( 'w', 1, 60 )[0];
		$this->repository()->ack_needs_human(
			(int) $ev['id'],
			$ev['lease_token'],
			array(
				'code'    => 'unmapped_sku',
				'message' => 'm',
			)
		);
		$retry = $this->dispatch( 'POST', "/syncline/v1/admin/events/{$ev['id']}/retry" );
		$this->assertSame( 'pending', $retry->get_data()['state'] );
		// A second retry (a double click, or its order's sibling put it back already): it waits in the queue, as asked.
		$again = $this->dispatch( 'POST', "/syncline/v1/admin/events/{$ev['id']}/retry" );
		$this->assertSame( 200, $again->get_status() );
		$this->assertSame( 'pending', $again->get_data()['state'] );
		$discard = $this->dispatch( 'POST', "/syncline/v1/admin/events/{$ev['id']}/discard", null, array(), array( 'reason' => 'test order' ) );
		$this->assertSame( 'discarded', $discard->get_data()['state'] );
		$this->assert_error( 409, 'syncline_conflict', $this->dispatch( 'POST', "/syncline/v1/admin/events/{$ev['id']}/retry" ) );
		$this->assert_error( 404, 'syncline_not_found', $this->dispatch( 'POST', '/syncline/v1/admin/events/999999999/retry' ) );
	}

	/**
	 * @testdox a manager sets and lists SKU mappings
	 */
	public function test_mappings(): void {
		$this->login_as( 'administrator' );
		$sku = 'SKU-' . wp_generate_password( 6, false );
		$put = $this->put_mapping( 'sku', $sku, 'ERP-1' );
		$this->assertSame( 200, $put->get_status() );
		$list = $this->dispatch( 'GET', '/syncline/v1/admin/mappings/sku', null, array(), array( 'search' => $sku ) );
		$this->assertSame( 'ERP-1', $list->get_data()[0]['erp_ref'] );
		$this->assertSame( 400, $this->put_mapping( 'sku', '', 'x' )->get_status() );
	}
}

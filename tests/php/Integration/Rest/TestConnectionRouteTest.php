<?php
/**
 * POST /syncline/v1/admin/settings/test-connection: an `erp.ping` event for the sidecar.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

/**
 * @testdox Admin route: test connection
 */
final class TestConnectionRouteTest extends RestTestCase {

	private const ROUTE = '/syncline/v1/admin/settings/test-connection';

	/**
	 * Stores one worker's heartbeat, received `$age` seconds ago.
	 *
	 * @param int $age Seconds.
	 */
	private function heartbeat( int $age ): void {
		// Another test's heartbeat may still sit in the object cache after its rollback (update_option would then
		// update no row and keep the stale cached value).
		wp_cache_flush();
		update_option(
			'syncline_heartbeats',
			array(
				'w1' => array(
					'worker'         => 'w1',
					'version'        => '1.2.3',
					'uptime_seconds' => 10,
					'counters'       => array(),
					'erp'            => array(
						'type'            => 'odoo',
						'version'         => '17.0',
						'reachable'       => true,
						'circuit'         => 'closed',
						'last_success_at' => time() - 5,
					),
					'received_at'    => time() - $age,
				),
			)
		);
	}

	/**
	 * @testdox an editor gets 403 and no event is recorded; a visitor gets 401
	 */
	public function test_forbidden(): void {
		$this->assertSame( 401, $this->dispatch( 'POST', self::ROUTE )->get_status() );
		$this->login_as( 'editor' );
		$this->assertSame( 403, $this->dispatch( 'POST', self::ROUTE )->get_status() );
		$this->assertSame( array(), $this->events() );
	}

	/**
	 * @testdox records one erp.ping event (coalescing while pending) and reports a fresh sidecar with its ERP state, named (Odoo 17.0)
	 */
	public function test_records_ping_with_fresh_sidecar(): void {
		$this->login_as( 'administrator' );
		$this->heartbeat( 5 );
		$first = $this->dispatch( 'POST', self::ROUTE );
		$this->assertSame( 200, $first->get_status() );
		$data = $first->get_data();
		$this->assertIsInt( $data['event_id'] );
		$this->assertTrue( $data['sidecar_connected'] );
		$this->assertSame( 'w1', $data['sidecar']['worker'] );
		$this->assertSame( 'closed', $data['sidecar']['erp']['circuit'] );
		$this->assertSame( array( 'odoo', '17.0', 'Odoo 17.0' ), array( $data['sidecar']['erp']['type'], $data['sidecar']['erp']['version'], $data['sidecar']['erp']['name'] ) );
		$second = $this->dispatch( 'POST', self::ROUTE )->get_data();
		$this->assertSame( $data['event_id'], $second['event_id'], 'a second click coalesces into the pending ping' );
		$events = $this->events();
		$this->assertCount( 1, $events );
		$this->assertSame( 'erp.ping', $events[0]['topic'] );
		$this->assertSame( 'erp', $events[0]['object_type'] );
		$this->assertSame( 0, (int) $events[0]['object_id'] );
		$this->assertSame( 'pending', $events[0]['state'] );
	}

	/**
	 * @testdox says when no sidecar heartbeat is fresh, and the sidecar's answer shows on the event
	 */
	public function test_stale_sidecar_and_answer(): void {
		$this->login_as( 'administrator' );
		$this->heartbeat( 120 );
		$data = $this->dispatch( 'POST', self::ROUTE )->get_data();
		$this->assertFalse( $data['sidecar_connected'] );
		$this->assertNull( $data['sidecar'] );
		$leased = $this->repository()->claim( 'w', 10, 60 );
		$this->assertCount( 1, $leased );
		$this->assertSame( (int) $data['event_id'], (int) $leased[0]['id'] );
		$this->repository()->ack_done(
			(int) $leased[0]['id'],
			$leased[0]['lease_token'],
			array(
				'erp'       => 'dolibarr',
				'documents' => array(),
				'steps'     => array(),
				'reason'    => 'erp_ping_ok',
				'version'   => '20.0.2',
				'ms'        => 12,
			)
		);
		$event = $this->dispatch( 'GET', '/syncline/v1/admin/events/' . $data['event_id'] )->get_data();
		$this->assertSame( 'done', $event['state'] );
		$this->assertSame( '20.0.2', $event['result']['version'] );
		$this->assertSame( 12, $event['result']['ms'] );
		$next = $this->dispatch( 'POST', self::ROUTE )->get_data();
		$this->assertGreaterThan( $data['event_id'], $next['event_id'], 'a click after the answer records a new ping' );
	}
}

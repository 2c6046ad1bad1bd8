<?php
/**
 * The renew route, lease exclusion and the ERP's count of an order, over REST.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Stock\StockTables;

/**
 * @testdox Sidecar lease renewal over REST
 */
final class SidecarRenewTest extends RestTestCase {

	/**
	 * @testdox POST /events/renew answers which leases were renewed and which are lost
	 */
	public function test_renew_route(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$rows     = $this->repository()->claim( 'w1', 10, 30 );
		$response = $this->signed(
			'/syncline/v1/events/renew',
			array(
				'worker'        => 'w1',
				'leases'        => array(
					array(
						'id'          => (int) $rows[0]['id'],
						'lease_token' => (string) $rows[0]['lease_token'],
					),
					array(
						'id'          => (int) $rows[1]['id'],
						'lease_token' => str_repeat( 'c', 32 ),
					),
				),
				'lease_seconds' => 90,
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( array( (int) $rows[0]['id'] ), array_column( $data['renewed'], 'id' ) );
		$this->assertGreaterThanOrEqual( time() + 89, $data['renewed'][0]['leased_until'] );
		$this->assertSame( array( (int) $rows[1]['id'] ), $data['lost'] );
		$this->assertIsInt( $data['server_time'] );
	}

	/**
	 * @testdox a bad renew body is 400 with every bad field, and an unsigned one 401
	 */
	public function test_renew_validation(): void {
		$bad = $this->signed(
			'/syncline/v1/events/renew',
			array(
				'worker'        => 'w1',
				'leases'        => array( array( 'id' => 0 ) ),
				'lease_seconds' => 1,
			)
		);
		$this->assertSame( 400, $bad->get_status() );
		$errors = $bad->get_data()['data']['errors'] ?? array();
		$this->assertArrayHasKey( 'leases[0].id', $errors );
		$this->assertArrayHasKey( 'leases[0].lease_token', $errors );
		$this->assertArrayHasKey( 'lease_seconds', $errors );
		$this->assertSame( 401, $this->dispatch( 'POST', '/syncline/v1/events/renew', '{}' )->get_status() );
	}

	/**
	 * @testdox lease skips the ids in exclude
	 */
	public function test_lease_exclude(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$row = $this->repository()->claim( 'w1', 1, 5 )[0];
		$this->clock->shift( 6 );
		$this->db->query( 'UPDATE ' . $this->db->table( 'events' ) . ' SET leased_until = %d WHERE id = %d', array( time() - 1, (int) $row['id'] ) );
		$body = array(
			'worker'        => 'w1',
			'limit'         => 10,
			'lease_seconds' => 30,
			'exclude'       => array( (int) $row['id'] ),
		);
		$this->assertSame( array(), $this->signed( '/syncline/v1/lease', $body )->get_data()['events'] );
		unset( $body['exclude'] );
		$this->assertCount( 1, $this->signed( '/syncline/v1/lease', $body )->get_data()['events'] );
	}

	/**
	 * @testdox a done ack that ran no step but says the ERP counts the order marks its in-flight stock counted
	 */
	public function test_replay_after_validation_counts_stock(): void {
		$order = $this->order_id();
		$table = $this->db->table( StockTables::INFLIGHT );
		$this->db->query( "DELETE FROM {$table} WHERE order_id = %d", array( $order ) );
		$this->db->query( "INSERT INTO {$table} (order_id, sku, qty, state, reduced_at) VALUES (%d, %s, %d, %s, %d)", array( $order, 'SKU-R', 2, 'reduced', StockTables::now_ms() ) );
		$this->writer()->record( 'order.paid', 'order', $order );
		$row = $this->repository()->claim( 'w1', 1, 30 )[0];
		$ack = $this->signed_ack(
			array(
				'id'          => (int) $row['id'],
				'lease_token' => (string) $row['lease_token'],
				'outcome'     => 'done',
				'refs'        => array(
					'erp'         => 'dolibarr',
					'documents'   => array(
						array(
							'type' => 'sales_order',
							'id'   => '7',
							'ref'  => 'CO-7',
						),
					),
					'steps'       => array(),
					'erp_counted' => true,
				),
			)
		);
		$this->assertTrue( $ack->get_data()['results'][0]['ok'] );
		$this->assertSame( 'counted', $this->db->value( "SELECT state FROM {$table} WHERE order_id = %d", array( $order ) ) );
	}
}

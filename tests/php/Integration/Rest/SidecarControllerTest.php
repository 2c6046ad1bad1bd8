<?php
/**
 * The sidecar routes: lease, ack, heartbeat.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Outbox\Mappings;
use Syncline\Outbox\SkuMap;

/**
 * @testdox Sidecar routes
 */
final class SidecarControllerTest extends RestTestCase {

	/**
	 * @testdox lease returns the contract's event shape with the order payload and the SKU mappings of its lines
	 */
	public function test_lease_payload(): void {
		( new SkuMap( $this->db, $this->clock ) )->set( 'TSHIRT-PLAIN', 'ERP-TSHIRT' );
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'mappings' ) );
		( new Mappings( $this->db, $this->clock ) )->set( Mappings::SHIPPING_METHOD, 'flat_rate', 'SHIP-FLAT' );
		$id       = syncline_test_create_order(
			array(
				'status'     => 'processing',
				'line_items' => array(
					array(
						'sku'      => 'TSHIRT-PLAIN',
						'quantity' => 2,
						'price'    => 19.99,
					),
				),
			)
		);
		$response = $this->signed(
			'/syncline/v1/lease',
			array(
				'worker'        => 'w1',
				'limit'         => 10,
				'lease_seconds' => 30,
				'wait_seconds'  => 0,
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$data  = rest_get_server()->response_to_data( $response, false );
		$event = $data['events'][0];
		$this->assertCount( 1, $data['events'], 'one event per order at a time' );
		$this->assertSame( array( 'id', 'topic', 'object_type', 'object_id', 'correlation_id', 'attempts', 'lease_token', 'leased_until', 'created_at', 'payload', 'covers' ), array_keys( $event ) );
		$this->assertSame( $id, $event['object_id'] );
		$this->assertSame( '39.98', $event['payload']['order']['line_items'][0]['total'] );
		$this->assertSame( (string) $id, $event['payload']['order']['number'] );
		$this->assertSame( array( 'TSHIRT-PLAIN' => 'ERP-TSHIRT' ), (array) $event['payload']['sku_map'] );
		$this->assertSame( array( 'flat_rate' => 'SHIP-FLAT' ), (array) $event['payload']['mappings']['shipping_method'] );
		$this->assertSame( array(), (array) $event['payload']['mappings']['order_status'] );
		$this->assertIsInt( $data['server_time'] );
		$refs = array(
			'erp'       => 'dolibarr',
			'documents' => array(
				array(
					'type' => 'sales_order',
					'id'   => '5',
					'ref'  => 'CO-5',
				),
			),
			'steps'     => array( 'sales_order' ),
		);
		$ack  = $this->signed_ack(
			array(
				'id'          => $event['id'],
				'lease_token' => $event['lease_token'],
				'outcome'     => 'done',
				'refs'        => $refs,
				'covers'      => $event['covers'],
			)
		);
		$this->assertSame(
			array(
				'results' => array(
					array(
						'id' => $event['id'],
						'ok' => true,
					),
				),
			),
			$ack->get_data()
		);
		$this->assertSame( $refs, wc_get_order( $id )->get_meta( '_syncline_erp_refs' ) );
		$this->assertNotSame( array(), $event['covers'], 'a checkout records more than one event' );
		$this->assertSame( array(), array_filter( $this->events(), static fn ( $r ) => (int) $r['object_id'] === $id && 'done' !== $r['state'] ), 'one push closed every event the checkout recorded' );
	}

	/**
	 * @testdox ack refuses a wrong lease token per item with syncline_lease_lost and changes nothing
	 */
	public function test_ack_lease_lost(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$ev     = $this->repository()->claim( 'w1', 1, 60 )[0];
		$before = $this->snapshot();
		$ack    = $this->signed_ack(
			array(
				'id'                  => (int) $ev['id'],
				'lease_token'         => str_repeat( 'b', 32 ),
				'outcome'             => 'retry',
				'retry_after_seconds' => 5,
				'error'               => array( 'code' => 'x' ),
			)
		);
		$this->assertSame(
			array(
				array(
					'id'   => (int) $ev['id'],
					'ok'   => false,
					'code' => 'syncline_lease_lost',
				),
			),
			$ack->get_data()['results']
		);
		$this->assertSame( $before, $this->snapshot() );
	}

	/**
	 * @testdox lease with nothing due waits about wait_seconds (long-poll) and returns no events
	 */
	public function test_long_poll(): void {
		$t0       = microtime( true );
		$response = $this->signed(
			'/syncline/v1/lease',
			array(
				'worker'        => 'w1',
				'limit'         => 1,
				'lease_seconds' => 30,
				'wait_seconds'  => 1,
			)
		);
		$elapsed  = microtime( true ) - $t0;
		$this->assertSame( array(), $response->get_data()['events'] );
		$this->assertGreaterThanOrEqual( 0.95, $elapsed );
		$this->assertLessThan( 2.0, $elapsed );
	}

	/**
	 * @testdox heartbeat keeps the last beat per worker with the server time
	 */
	public function test_heartbeat(): void {
		$beat = array(
			'worker'         => 'hb-' . wp_generate_password( 6, false ),
			'version'        => '0.1.0',
			'uptime_seconds' => 3,
			'counters'       => array( 'pushed' => 2 ),
			'erp'            => array(
				'reachable'       => true,
				'circuit'         => 'closed',
				'last_success_at' => null,
			),
		);
		$this->assertSame( 200, $this->signed( '/syncline/v1/heartbeat', $beat )->get_status() );
		$stored = get_option( 'syncline_heartbeats' )[ $beat['worker'] ];
		$this->assertSame( 2, $stored['counters']['pushed'] );
		$this->assertEqualsWithDelta( time(), $stored['received_at'], 2 );
	}
}

<?php
/**
 * Acks carried on the lease request (issue 7).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

/**
 * @testdox Acks carried on POST /lease
 */
final class SidecarLeaseAcksTest extends RestTestCase {

	/**
	 * @testdox the acks are applied before the lease claims: an order's next event comes back in the same request
	 */
	public function test_applied_before_leasing(): void {
		$order = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$first = $this->repository()->claim( 'w1', 1, 60 )[0];
		$this->writer()->record( 'order.updated', 'order', $order );
		$this->assertSame( array(), $this->lease( null )['events'], 'one event per order at a time: nothing while the first is held' );

		$data = $this->lease( array( $this->done( $first ) ) );
		$this->assertSame(
			array(
				array(
					'id' => (int) $first['id'],
					'ok' => true,
				),
			),
			$data['acks']
		);
		$this->assertSame( 'done', $this->state( (int) $first['id'] ) );
		$this->assertCount( 1, $data['events'] );
		$this->assertSame( 'order.updated', $data['events'][0]['topic'] );
		$this->assertSame( $order, $data['events'][0]['object_id'] );
	}

	/**
	 * @testdox a bad ack refuses only itself (syncline_invalid_ack), a stale token is refused (syncline_lease_lost), the rest apply and the lease goes on
	 */
	public function test_bad_and_stale_acks_refuse_only_themselves(): void {
		foreach ( range( 1, 4 ) as $i ) {
			$this->writer()->record( 'order.created', 'order', $this->order_id() );
		}
		$rows = $this->repository()->claim( 'w1', 3, 60 );
		$this->assertCount( 3, $rows );
		[ $good, $bad, $stale ] = $rows;
		$acks                   = array(
			$this->done( $good ),
			array(
				'id'          => (int) $bad['id'],
				'lease_token' => (string) $bad['lease_token'],
				'outcome'     => 'maybe',
			),
			array(
				'id'                  => (int) $stale['id'],
				'lease_token'         => str_repeat( 'b', 32 ),
				'outcome'             => 'retry',
				'retry_after_seconds' => 5,
				'error'               => array( 'code' => 'erp_unavailable' ),
			),
			'not an object',
		);
		$data                   = $this->lease( $acks );

		$this->assertSame( array( (int) $good['id'], true ), array( $data['acks'][0]['id'], $data['acks'][0]['ok'] ) );
		$this->assertSame( (int) $bad['id'], $data['acks'][1]['id'] );
		$this->assertFalse( $data['acks'][1]['ok'] );
		$this->assertSame( 'syncline_invalid_ack', $data['acks'][1]['code'] );
		$this->assertStringContainsString( 'outcome', $data['acks'][1]['message'] );
		$this->assertSame(
			array(
				'id'   => (int) $stale['id'],
				'ok'   => false,
				'code' => 'syncline_lease_lost',
			),
			$data['acks'][2]
		);
		$this->assertSame( array( 0, false, 'syncline_invalid_ack' ), array( $data['acks'][3]['id'], $data['acks'][3]['ok'], $data['acks'][3]['code'] ) );
		$this->assertCount( 4, $data['acks'], 'one answer per ack, in order' );

		$this->assertSame( 'done', $this->state( (int) $good['id'] ) );
		$this->assertSame( 'leased', $this->state( (int) $bad['id'] ), 'the invalid ack changed nothing' );
		$this->assertSame( 'leased', $this->state( (int) $stale['id'] ), 'the stale ack changed nothing' );
		$this->assertSame( (string) $stale['lease_token'], $this->row( (int) $stale['id'] )['lease_token'] );
		$this->assertCount( 1, $data['events'], 'the lease went on: the fourth order' );
	}

	/**
	 * @testdox acks that are not a list of at most 100 make the whole request a 400 and apply nothing
	 */
	public function test_malformed_acks_field(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$row    = $this->repository()->claim( 'w1', 1, 60 )[0];
		$before = $this->snapshot();
		foreach ( array( 'not a list', array( 'a' => $this->done( $row ) ), array_fill( 0, 101, $this->done( $row ) ) ) as $acks ) {
			$response = $this->signed( '/syncline/v1/lease', $this->body( $acks ) );
			$this->assert_error( 400, 'syncline_invalid_request', $response );
			$this->assertArrayHasKey( 'acks', $response->get_data()['data']['errors'] ?? array() );
		}
		$this->assertSame( $before, $this->snapshot() );
	}

	/**
	 * @testdox without acks the answer has no acks field (older sidecars); an empty list answers an empty list
	 */
	public function test_without_acks(): void {
		$this->assertArrayNotHasKey( 'acks', $this->lease( null ) );
		$this->assertSame( array(), $this->lease( array() )['acks'] );
	}

	/**
	 * A lease request body.
	 *
	 * @param mixed $acks The acks, or null for none.
	 * @return array<string, mixed>
	 */
	private function body( $acks ): array {
		$body = array(
			'worker'        => 'w1',
			'limit'         => 10,
			'lease_seconds' => 30,
			'wait_seconds'  => 0,
		);
		if ( null !== $acks ) {
			$body['acks'] = $acks;
		}
		return $body;
	}

	/**
	 * Leases with these acks; asserts 200 and answers the data.
	 *
	 * @param mixed $acks The acks, or null for none.
	 * @return array<string, mixed>
	 */
	private function lease( $acks ): array {
		$response = $this->signed( '/syncline/v1/lease', $this->body( $acks ) );
		$data     = rest_get_server()->response_to_data( $response, false );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $data ) );
		return $data;
	}

	/**
	 * A done ack of a leased row that closes nothing else.
	 *
	 * @param array<string, mixed> $row Leased row.
	 * @return array<string, mixed>
	 */
	private function done( array $row ): array {
		return array(
			'id'          => (int) $row['id'],
			'lease_token' => (string) $row['lease_token'],
			'outcome'     => 'done',
			'refs'        => array(
				'erp'       => 'dolibarr',
				'documents' => array(),
				'steps'     => array(),
				'reason'    => 'order_deleted',
			),
			'covers'      => array(),
		);
	}

	/**
	 * An event row.
	 *
	 * @param int $id Event id.
	 * @return array<string, mixed>
	 */
	private function row( int $id ): array {
		return $this->db->rows( 'SELECT * FROM ' . $this->db->table( 'events' ) . ' WHERE id = %d', array( $id ) )[0];
	}

	/**
	 * An event's state.
	 *
	 * @param int $id Event id.
	 */
	private function state( int $id ): string {
		return (string) $this->row( $id )['state'];
	}
}

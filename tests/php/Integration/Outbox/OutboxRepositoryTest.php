<?php
/**
 * Claims and acknowledgements.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Outbox;

use Syncline\Exception\Conflict;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Outbox claims and acks
 */
final class OutboxRepositoryTest extends IntegrationTestCase {

	/**
	 * @testdox a claim leases due events with a 32-hex token, counts the attempt and clears the pending key
	 */
	public function test_claim(): void {
		$a = $this->order_id();
		$b = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $a );
		$this->writer()->record( 'order.created', 'order', $b );
		$rows = $this->repository()->claim( 'w1', 10, 60 );
		$this->assertCount( 2, $rows );
		foreach ( $rows as $row ) {
			$this->assertSame( 'leased', $row['state'] );
			$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $row['lease_token'] );
			$this->assertSame( '1', (string) $row['attempts'] );
			$this->assertNull( $row['pending_key'] );
			$this->assertSame( 'w1', $row['lease_owner'] );
			$this->assertSame( $this->clock->now() + 60, (int) $row['leased_until'] );
		}
		$this->assertSame( array(), $this->repository()->claim( 'w2', 10, 60 ), 'leased events are not claimed again' );
	}

	/**
	 * @testdox at most one event per order is leased at a time
	 */
	public function test_one_per_object(): void {
		$id = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $id );
		$this->writer()->record( 'order.paid', 'order', $id );
		$this->assertCount( 1, $this->repository()->claim( 'w1', 10, 60 ) );
		$this->assertSame( array(), $this->repository()->claim( 'w2', 10, 60 ) );
	}

	/**
	 * @testdox the limit is respected and events that are not yet available wait
	 */
	public function test_limit_and_available_at(): void {
		for ( $i = 0; $i < 3; $i++ ) {
			$this->writer()->record( 'order.created', 'order', $this->order_id() );
		}
		$this->assertCount( 2, $this->repository()->claim( 'w', 2, 60 ) );
		$last = $this->repository()->claim( 'w', 2, 60 )[0];
		$this->assertTrue(
			$this->repository()->ack_retry(
				(int) $last['id'],
				$last['lease_token'],
				30,
				array(
					'code'    => 'erp_unavailable',
					'message' => 'down',
				)
			)
		);
		$this->assertSame( array(), $this->repository()->claim( 'w', 10, 60 ), 'not due for 30 s' );
		$this->clock->shift( 31 );
		$again = $this->repository()->claim( 'w', 10, 60 );
		$this->assertSame( (int) $last['id'], (int) $again[0]['id'] );
		$this->assertSame( '2', (string) $again[0]['attempts'] );
	}

	/**
	 * @testdox an expired lease is claimable again and the old holder's ack is refused, changing nothing
	 */
	public function test_expiry_and_token(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$first = $this->repository()->claim( 'slow', 1, 5 )[0];
		$this->clock->shift( 6 );
		$second = $this->repository()->claim( 'fast', 1, 60 )[0];
		$this->assertSame( $first['id'], $second['id'] );
		$this->assertNotSame( $first['lease_token'], $second['lease_token'] );
		$before = $this->events();
		$this->assertFalse( $this->repository()->ack_done( (int) $first['id'], $first['lease_token'], array( 'erp' => 'x' ) ) );
		$this->assertSame( $before, $this->events() );
		$this->assertTrue( $this->repository()->ack_done( (int) $second['id'], $second['lease_token'], array( 'erp' => 'x' ) ) );
		$this->assertSame( 'done', $this->events()[0]['state'] );
		$this->assertSame( '{"erp":"x"}', $this->events()[0]['result'] );
		$this->assertFalse( $this->repository()->ack_done( (int) $second['id'], $second['lease_token'], array() ), 'a second ack is refused' );
	}

	/**
	 * @testdox needs_human parks the event with its error; a manual retry puts it back with attempts reset
	 */
	public function test_needs_human_and_manual_retry(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$ev = $this->repository()->claim( 'w', 1, 60 )[0];
		$this->assertTrue(
			$this->repository()->ack_needs_human(
				(int) $ev['id'],
				$ev['lease_token'],
				array(
					'code'    => 'unmapped_sku',
					'message' => 'SKU X',
					'details' => array( 'sku' => 'X' ),
				)
			)
		);
		$row = $this->events()[0];
		$this->assertSame( array( 'needs_human', 'unmapped_sku', 'SKU X', '{"sku":"X"}' ), array( $row['state'], $row['last_error_code'], $row['last_error_message'], $row['last_error_details'] ) );
		$this->assertSame( array(), $this->repository()->claim( 'w', 1, 60 ) );
		$this->assertSame( array( (int) $ev['id'] ), $this->queries()->retry_by_code( 'unmapped_sku' ) );
		$again = $this->repository()->claim( 'w', 1, 60 )[0];
		$this->assertSame( '1', (string) $again['attempts'] );
		$this->expectException( Conflict::class );
		$this->queries()->retry( (int) $ev['id'] );
	}

	/**
	 * @testdox discard keeps the reason in the event log; counts and oldest pending age follow the states
	 */
	public function test_discard_and_counts(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$this->clock->shift( 10 );
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$this->assertSame( 10, $this->queries()->oldest_pending_age() );
		$id = (int) $this->events()[0]['id'];
		$this->queries()->discard( $id, 'duplicate test order' );
		$this->assertSame( 1, $this->queries()->counts()['pending'] );
		$this->assertSame( 1, $this->queries()->counts()['discarded'] );
		$log = $this->db->rows( 'SELECT kind, message FROM ' . $this->db->table( 'event_log' ) . ' WHERE event_id = %d', array( $id ) );
		$this->assertSame(
			array(
				array(
					'kind'    => 'discarded',
					'message' => 'duplicate test order',
				),
			),
			$log
		);
	}

	/**
	 * @testdox a done order event closes the order's older pending events as coalesced, but not newer ones
	 */
	public function test_done_coalesces_older_order_events(): void {
		$id = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $id );
		$this->writer()->record( 'order.status_changed', 'order', $id );
		$this->clock->shift( 5 );
		$leased = $this->repository()->claim( 'w1', 10, 60 )[0];
		$this->clock->shift( 5 );
		$this->writer()->record( 'order.paid', 'order', $id );
		$this->assertTrue( $this->repository()->ack_done( (int) $leased['id'], (string) $leased['lease_token'], array( 'steps' => array( 'sales_order' ) ) ) );
		$rows   = $this->db->rows( 'SELECT topic, state, result FROM ' . $this->db->table( 'events' ) . ' WHERE object_id = %d ORDER BY id', array( $id ) );
		$states = array_column( $rows, 'state', 'topic' );
		$this->assertSame( 'done', $states['order.created'] );
		$this->assertSame( 'done', $states['order.status_changed'], 'recorded before the lease: covered by the state-based push' );
		$this->assertSame( 'pending', $states['order.paid'], 'recorded after the lease: may be newer than the pushed payload' );
		$this->assertStringContainsString( 'coalesced_into', (string) $rows[1]['result'] );
	}

	/**
	 * @testdox retrying one exception of an order puts the order's other exceptions back too
	 */
	public function test_retry_puts_back_order_siblings(): void {
		$id = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $id );
		$first = $this->repository()->claim( 'w1', 10, 60 )[0];
		$this->writer()->record( 'order.status_changed', 'order', $id );
		$error = array(
			'code'    => 'unmapped_sku',
			'message' => 'SKU X has no product in the ERP',
		);
		$this->repository()->ack_needs_human( (int) $first['id'], (string) $first['lease_token'], $error );
		$second = $this->repository()->claim( 'w1', 10, 60 )[0];
		$this->repository()->ack_needs_human( (int) $second['id'], (string) $second['lease_token'], $error );
		$this->assert_event_count( 2, $id, 'needs_human' );
		$this->queries()->retry( (int) $first['id'] );
		$this->assert_event_count( 2, $id, 'pending' );
		$this->assertSame( array(), $this->queries()->retry_by_code( 'unmapped_sku' ), 'nothing is left in the exception queue' );
		// `wp syncline retry 1 2` after 1's retry put 2 back: 2 is where it was asked to be, not an error.
		$this->queries()->retry( (int) $second['id'] );
		$this->assert_event_count( 2, $id, 'pending' );
		$done = $this->repository()->claim( 'w1', 10, 60 );
		$this->expectException( Conflict::class );
		$this->queries()->retry( (int) $done[0]['id'] );
	}
}

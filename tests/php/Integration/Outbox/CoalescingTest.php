<?php
/**
 * One push per order for the events its payload covered; nothing a later write changed is closed with it.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Outbox;

use Syncline\Outbox\Leases;
use Syncline\Outbox\SkuMap;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Coalescing an order's events by write version
 */
final class CoalescingTest extends IntegrationTestCase {

	/**
	 * Runs while a payload is built (a checkout writing to the order at that moment).
	 *
	 * @var callable|null
	 */
	private $during_payload = null;

	/**
	 * @testdox two events of one order recorded in the lease's second cost one push: the done ack closes the other
	 */
	public function test_two_events_one_push(): void {
		$order = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$this->writer()->record( 'order.status_changed', 'order', $order );
		$events = $this->leases()->lease( 'w1', 10, 60, 0 );
		$this->assertCount( 1, $events, 'one lease per order' );
		$sibling = $this->event_id( $order, 'order.status_changed' );
		$this->assertSame(
			array(
				array(
					'id'      => $sibling,
					'version' => 0,
				),
			),
			$events[0]['covers']
		);
		$this->assertTrue( $this->ack( $events[0] ) );
		$this->assert_event_count( 2, $order, 'done' );
		$this->assertStringContainsString( '"coalesced_into":' . $events[0]['id'], (string) $this->row( $sibling )['result'] );
		$this->assertSame( array(), $this->leases()->lease( 'w1', 10, 60, 0 ), 'nothing left to push' );
	}

	/**
	 * @testdox an order written again while its lease is out is pushed again: a bumped or new event stays pending
	 */
	public function test_write_during_lease_is_pushed_again(): void {
		$order = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$this->writer()->record( 'order.status_changed', 'order', $order );
		// The checkout changes the order again while its payload is being read: the pending row is updated in place.
		$this->during_payload = fn () => $this->writer()->record( 'order.status_changed', 'order', $order );
		$events               = $this->leases()->lease( 'w1', 10, 60, 0 );
		$this->during_payload = null;
		$this->writer()->record( 'order.refunded', 'order', $order );
		$this->assertTrue( $this->ack( $events[0] ) );
		$sibling = $this->event_id( $order, 'order.status_changed' );
		$this->assertSame( 'pending', $this->row( $sibling )['state'], 'written after the lease saw it: not covered' );
		$this->assertSame( '1', (string) $this->row( $sibling )['version'] );
		$this->assertSame( 'pending', $this->row( $this->event_id( $order, 'order.refunded' ) )['state'], 'recorded after the lease' );
		$again = $this->leases()->lease( 'w1', 10, 60, 0 );
		$this->assertCount( 1, $again, 'the order is pushed again' );
		$this->assertSame( $sibling, $again[0]['id'] );
		$this->assertTrue( $this->ack( $again[0] ) );
		$this->assert_event_count( 3, $order, 'done' );
	}

	/**
	 * @testdox an ack without covers (an older sidecar) falls back to closing events recorded before the lease's second
	 */
	public function test_without_covers_second_rule(): void {
		$order = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$this->writer()->record( 'order.status_changed', 'order', $order );
		$events = $this->leases()->lease( 'w1', 10, 60, 0 );
		$this->assertTrue( $this->repository()->ack_done( (int) $events[0]['id'], (string) $events[0]['lease_token'], array( 'erp' => 'x' ) ) );
		$this->assertSame( 'pending', $this->row( $this->event_id( $order, 'order.status_changed' ) )['state'], 'same second: not provably covered' );
	}

	/**
	 * @testdox covers never close another order's events, a leased event, or an event no longer pending
	 */
	public function test_covers_are_bounded_to_the_order(): void {
		$order = $this->order_id();
		$other = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$this->writer()->record( 'order.created', 'order', $other );
		$events  = array_column( $this->leases()->lease( 'w1', 10, 60, 0 ), null, 'object_id' );
		$foreign = array(
			array(
				'id'      => (int) $events[ $other ]['id'],
				'version' => 0,
			),
		);
		$this->assertTrue( $this->repository()->ack_done( (int) $events[ $order ]['id'], (string) $events[ $order ]['lease_token'], array( 'erp' => 'x' ), $foreign ) );
		$this->assertSame( 'leased', $this->row( (int) $events[ $other ]['id'] )['state'] );
	}

	/**
	 * @testdox a lease of several events logs each one (worker and attempt) in one statement
	 */
	public function test_lease_log_entries(): void {
		$orders = array( $this->order_id(), $this->order_id(), $this->order_id() );
		foreach ( $orders as $order ) {
			$this->writer()->record( 'order.created', 'order', $order );
		}
		$events = $this->leases()->lease( 'w7', 10, 60, 0 );
		$this->assertCount( 3, $events );
		$ids = array_map( static fn ( $e ) => (int) $e['id'], $events );
		$log = $this->db->rows( 'SELECT event_id, kind, details FROM ' . $this->db->table( 'event_log' ) . ' ORDER BY event_id' );
		$this->assertSame( $ids, array_map( static fn ( $r ) => (int) $r['event_id'], $log ) );
		foreach ( $log as $row ) {
			$this->assertSame( 'leased', $row['kind'] );
			$this->assertSame(
				array(
					'worker'  => 'w7',
					'attempt' => 1,
				),
				json_decode( (string) $row['details'], true )
			);
		}
	}

	/**
	 * The done ack the sidecar sends: the lease's covers echoed.
	 *
	 * @param array<string, mixed> $event Leased event.
	 */
	private function ack( array $event ): bool {
		return $this->repository()->ack_done( (int) $event['id'], (string) $event['lease_token'], array( 'erp' => 'x' ), $event['covers'] );
	}

	/**
	 * The id of the order's event with this topic.
	 *
	 * @param int    $order Order id.
	 * @param string $topic Topic.
	 */
	private function event_id( int $order, string $topic ): int {
		foreach ( $this->events() as $row ) {
			if ( (int) $row['object_id'] === $order && $row['topic'] === $topic ) {
				return (int) $row['id'];
			}
		}
		$this->fail( "no {$topic} event for order {$order}" );
	}

	/**
	 * One event row.
	 *
	 * @param int $id Event id.
	 * @return array<string, mixed>
	 */
	private function row( int $id ): array {
		return array_column( $this->events(), null, 'id' )[ $id ];
	}

	/**
	 * Leases over an order source that finds every order (and runs $during_payload while reading it).
	 */
	private function leases(): Leases {
		$during = function (): void {
			if ( is_callable( $this->during_payload ) ) {
				( $this->during_payload )();
			}
		};
		return new Leases( $this->repository(), new StubOrderSource( array(), $during ), new SkuMap( $this->db, $this->clock ), $this->clock );
	}
}

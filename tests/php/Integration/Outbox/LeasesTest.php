<?php
/**
 * Leases that cannot be outlived and events that never vanish: renewal, exclude, per-event payloads, attempts.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Outbox;

use Syncline\Outbox\Leases;
use Syncline\Outbox\SkuMap;
use Syncline\Tests\Integration\IntegrationTestCase;
use Syncline\Woo\OrderPayload;
use Syncline\Woo\OrderSource;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * @testdox Lease renewal, exclusion, payloads and attempts
 */
final class LeasesTest extends IntegrationTestCase {

	/**
	 * @testdox renew extends only leases still held with their token; expired, foreign and wrong-token leases are lost; updated_at stays
	 */
	public function test_renew(): void {
		$a = $this->order_id();
		$b = $this->order_id();
		$c = $this->order_id();
		foreach ( array( $a, $b, $c ) as $id ) {
			$this->writer()->record( 'order.created', 'order', $id );
		}
		$rows = $this->repository()->claim( 'w1', 10, 30 );
		$this->assertCount( 3, $rows );
		$by = array_column( $rows, null, 'object_id' );
		$ea = (int) $by[ $a ]['id'];
		$eb = (int) $by[ $b ]['id'];
		$ec = (int) $by[ $c ]['id'];
		// $c's lease ran out: it may belong to someone else by now.
		$this->db->query( 'UPDATE ' . $this->db->table( 'events' ) . ' SET leased_until = %d WHERE id = %d', array( $this->clock->now() - 1, $ec ) );
		$before = $this->events();
		$result = $this->repository()->renew(
			'w1',
			array(
				$ea => (string) $by[ $a ]['lease_token'],
				$eb => str_repeat( 'b', 32 ),
				$ec => (string) $by[ $c ]['lease_token'],
			),
			120
		);
		$this->assertSame(
			array(
				array(
					'id'           => $ea,
					'leased_until' => $this->clock->now() + 120,
				),
			),
			$result['renewed']
		);
		$this->assertSame( array( $eb, $ec ), $result['lost'] );
		$after = array_column( $this->events(), null, 'id' );
		$this->assertSame( $this->clock->now() + 120, (int) $after[ $ea ]['leased_until'] );
		$this->assertSame( (int) $by[ $b ]['leased_until'], (int) $after[ $eb ]['leased_until'], 'a wrong token changes nothing' );
		$this->assertSame( array_column( $before, 'updated_at', 'id' ), array_column( $this->events(), 'updated_at', 'id' ), 'updated_at marks when the lease began' );
		$other = $this->repository()->renew( 'w2', array( $ea => (string) $by[ $a ]['lease_token'] ), 300 );
		$this->assertSame( array( $ea ), $other['lost'], 'another worker cannot renew it' );
	}

	/**
	 * @testdox a renewed lease is not claimed by another worker after its first end; an expired one is, and its old holder cannot renew it
	 */
	public function test_renewed_lease_holds(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$row = $this->repository()->claim( 'w1', 1, 30 )[0];
		$id  = (int) $row['id'];
		$this->repository()->renew( 'w1', array( $id => (string) $row['lease_token'] ), 120 );
		$this->clock->shift( 60 );
		$this->assertSame( array(), $this->repository()->claim( 'w2', 10, 30 ), 'held by the renewal' );
		$this->clock->shift( 61 );
		$taken = $this->repository()->claim( 'w2', 10, 30 );
		$this->assertCount( 1, $taken );
		$this->assertSame( array( $id ), $this->repository()->renew( 'w1', array( $id => (string) $row['lease_token'] ), 120 )['lost'] );
		$this->assertTrue( $this->repository()->ack_done( $id, (string) $taken[0]['lease_token'], array( 'erp' => 'x' ) ) );
	}

	/**
	 * @testdox a claim never returns the ids the worker says it holds (exclude), even when their lease expired
	 */
	public function test_exclude(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		$rows = $this->repository()->claim( 'w1', 10, 30 );
		$ids  = array_map( static fn ( $r ) => (int) $r['id'], $rows );
		$this->clock->shift( 31 );
		$this->assertSame( array(), $this->repository()->claim( 'w1', 10, 30, $ids ) );
		$again = $this->repository()->claim( 'w1', 10, 30, array( $ids[0] ) );
		$this->assertSame( array( $ids[1] ), array_map( static fn ( $r ) => (int) $r['id'], $again ) );
	}

	/**
	 * @testdox an event given back untried keeps its attempts; a tried retry uses one
	 */
	public function test_untried_does_not_use_attempts(): void {
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		foreach ( array( 'sidecar_shutdown', 'circuit_open', 'lease_expiring', 'order_unavailable', 'lease_refused' ) as $code ) {
			$row = $this->repository()->claim( 'w1', 1, 30 )[0];
			$this->assertSame( 1, (int) $row['attempts'], "attempt number after a give-back ($code)" );
			$this->assertTrue( $this->repository()->ack_retry( (int) $row['id'], (string) $row['lease_token'], 0, array( 'code' => $code ) ) );
			$this->assertSame( '0', (string) $this->events()[0]['attempts'] );
		}
		$row = $this->repository()->claim( 'w1', 1, 30 )[0];
		$this->repository()->ack_retry( (int) $row['id'], (string) $row['lease_token'], 0, array( 'code' => 'erp_timeout' ) );
		$this->assertSame( '1', (string) $this->events()[0]['attempts'] );
		$this->assertSame( 2, (int) $this->repository()->claim( 'w1', 1, 30 )[0]['attempts'] );
	}

	/**
	 * @testdox an event claimed 25 times without an answer goes to the exception queue as too_many_attempts instead of being leased
	 */
	public function test_claim_cap(): void {
		$order = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $order );
		$this->writer()->record( 'order.created', 'order', $this->order_id() );
		for ( $i = 1; $i <= 25; $i++ ) {
			$rows = $this->repository()->claim( 'w1', 10, 30 );
			$this->assertCount( 2, $rows, "claim $i" );
			$this->clock->shift( 31 ); // The sidecar died: the leases expire unanswered.
			$ok = array_values( array_filter( $rows, static fn ( $r ) => (int) $r['object_id'] !== $order ) )[0];
			$this->repository()->ack_retry( (int) $ok['id'], (string) $ok['lease_token'], 0, array( 'code' => 'circuit_open' ) );
		}
		$rows = $this->repository()->claim( 'w1', 10, 30 );
		$this->assertCount( 1, $rows, 'the unanswered one is no longer leased' );
		$this->assertNotSame( $order, (int) $rows[0]['object_id'] );
		$parked = array_values( array_filter( $this->events(), static fn ( $r ) => (int) $r['object_id'] === $order ) )[0];
		$this->assertSame( 'needs_human', $parked['state'] );
		$this->assertSame( 'too_many_attempts', $parked['last_error_code'] );
		$this->assertStringContainsString( '25 times', (string) $parked['last_error_message'] );
		$this->assertNull( $parked['lease_token'] );
	}

	/**
	 * @testdox the claim cap is a setting (filter syncline_max_claims)
	 */
	public function test_claim_cap_filter(): void {
		$cap = static fn (): int => 2;
		add_filter( 'syncline_max_claims', $cap );
		try {
			$this->writer()->record( 'order.created', 'order', $this->order_id() );
			$this->repository()->claim( 'w1', 1, 30 );
			$this->clock->shift( 31 );
			$this->repository()->claim( 'w1', 1, 30 );
			$this->clock->shift( 31 );
			$this->assertSame( array(), $this->repository()->claim( 'w1', 1, 30 ) );
			$this->assertSame( 'too_many_attempts', $this->events()[0]['last_error_code'] );
		} finally {
			remove_filter( 'syncline_max_claims', $cap );
		}
	}

	/**
	 * @testdox one order whose payload cannot be built becomes that event's exception; the others are leased
	 */
	public function test_bad_payload_is_isolated(): void {
		$good = $this->order_id();
		$bad  = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $good );
		$this->writer()->record( 'order.created', 'order', $bad );
		$events = $this->leases( $this->source( array( $bad => new \RuntimeException( 'Call to a member function get_total() on null' ) ) ) )->lease( 'w1', 10, 30, 0 );
		$this->assertCount( 1, $events );
		$this->assertSame( $good, $events[0]['object_id'] );
		$this->assertSame( 'found', $events[0]['payload']['order_state'] );
		$row = array_values( array_filter( $this->events(), static fn ( $r ) => (int) $r['object_id'] === $bad ) )[0];
		$this->assertSame( 'needs_human', $row['state'] );
		$this->assertSame( 'payload_unavailable', $row['last_error_code'] );
		$this->assertStringContainsString( "order {$bad}", (string) $row['last_error_message'] );
		$this->assertStringContainsString( 'get_total()', (string) $row['last_error_message'] );
	}

	/**
	 * @testdox the payload says whether the order was found, is confirmed deleted, or could not be loaded
	 */
	public function test_order_state(): void {
		$deleted     = $this->order_id();
		$unavailable = $this->order_id();
		$this->writer()->record( 'order.created', 'order', $deleted );
		$this->writer()->record( 'order.created', 'order', $unavailable );
		$source = $this->source(
			array(
				$deleted     => OrderPayload::deleted(),
				$unavailable => OrderPayload::unavailable(),
			)
		);
		$events = array_column( $this->leases( $source )->lease( 'w1', 10, 30, 0 ), null, 'object_id' );
		$this->assertSame( 'deleted', $events[ $deleted ]['payload']['order_state'] );
		$this->assertNull( $events[ $deleted ]['payload']['order'] );
		$this->assertSame( 'unavailable', $events[ $unavailable ]['payload']['order_state'] );
		$this->assertNull( $events[ $unavailable ]['payload']['order'] );
	}

	/**
	 * @testdox deleted only when wc_get_order() answered false and no order row holds the id
	 */
	public function test_not_loaded_decision(): void {
		$this->assertSame( 'deleted', OrderPayload::not_loaded( false, false )->state );
		$this->assertSame( 'unavailable', OrderPayload::not_loaded( false, true )->state );
		$this->assertSame( 'unavailable', OrderPayload::not_loaded( null, false )->state );
		$this->assertSame( 'unavailable', OrderPayload::not_loaded( new \stdClass(), false )->state );
	}

	/**
	 * @testdox the WooCommerce seam: an existing order is found, an id nothing holds is deleted, an order row WooCommerce cannot load is unavailable
	 */
	public function test_woocommerce_order_states(): void {
		$source = new WooCommerceOrderSource();
		$id     = syncline_test_create_order( array( 'status' => 'processing' ) );
		$found  = $source->order_payload( $id );
		$this->assertSame( 'found', $found->state );
		$this->assertSame( $id, $found->order['id'] ?? null );
		$this->assertSame( 'deleted', $source->order_payload( 2000000000 + random_int( 1, 99999 ) )->state );
		if ( syncline_test_real_wc() ) {
			// A real WooCommerce loads any shop_order post it has a data store for; the row it cannot load is the
			// stand-in's case below, and OrderPayload::not_loaded() covers the decision itself (SidecarControllerTest).
			return;
		}
		// An order post WooCommerce does not load (here: a post the stand-in does not know): not "deleted".
		$post = wp_insert_post(
			array(
				'post_type'   => 'shop_order',
				'post_status' => 'publish',
				'post_title'  => 'Order',
			)
		);
		$this->assertSame( 'unavailable', $source->order_payload( (int) $post )->state );
	}

	/**
	 * Leases over a given order source.
	 *
	 * @param OrderSource $source Orders.
	 */
	private function leases( OrderSource $source ): Leases {
		return new Leases( $this->repository(), $source, new SkuMap( $this->db, $this->clock ), $this->clock );
	}

	/**
	 * An order source: listed ids answer the given payload (or throw the given error), others are found.
	 *
	 * @param array<int, OrderPayload|\Throwable> $answers Order id => answer.
	 */
	private function source( array $answers ): OrderSource {
		return new StubOrderSource( $answers );
	}
}

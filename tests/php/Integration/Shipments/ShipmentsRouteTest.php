<?php
/**
 * POST /syncline/v1/shipments/apply on the real WooCommerce: partial then the rest, replays, bad input.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Shipments;

use Syncline\Outbox\Mappings;
use Syncline\Shipments\OrderShipments;
use Syncline\Tests\Integration\Stock\StockTestCase;

/**
 * Orders come from a real checkout (the test helper); every test is rolled back.
 */
final class ShipmentsRouteTest extends StockTestCase {

	private const ROUTE = '/syncline/v1/shipments/apply';

	/**
	 * Needs the real WooCommerce (order notes, statuses, HPOS).
	 */
	protected function setUp(): void {
		parent::setUp();
		if ( ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'Shipments need the real WooCommerce (order notes and statuses).' );
		}
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'mappings' ) . ' WHERE type = %s', array( Mappings::SHIPMENT_STATUS ) );
		add_filter( 'pre_wp_mail', '__return_true' ); // Customer notes send e-mails: not from tests.
	}

	/**
	 * Lets e-mails go again.
	 */
	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', '__return_true' );
		parent::tearDown();
	}

	/**
	 * A processing order of 3 × A and 2 × B.
	 */
	private function order(): int {
		$this->product( 'A', 10 );
		$this->product( 'B', 10 );
		return $this->checkout(
			array(
				'A' => 3,
				'B' => 2,
			)
		);
	}

	/**
	 * A wire shipment.
	 *
	 * @param int                $order_id Order.
	 * @param string             $id       ERP shipment id.
	 * @param array<string, int> $lines    Unprefixed SKU => units.
	 * @param string|null        $tracking Tracking number.
	 * @return array<string, mixed>
	 */
	private function shipment( int $order_id, string $id, array $lines, ?string $tracking ): array {
		$wire = array();
		foreach ( $lines as $sku => $qty ) {
			$wire[] = array(
				'ref' => $this->p . $sku,
				'qty' => $qty,
			);
		}
		return array(
			'shipment_id'     => $id,
			'ref'             => 'SH-' . $id,
			'order_id'        => $order_id,
			'correlation_id'  => $this->writer()->correlation_id( 'order', $order_id ),
			'state'           => 'validated',
			'carrier'         => 'UPS',
			'tracking_number' => $tracking,
			'tracking_url'    => null === $tracking ? null : 'https://track.example/?n=' . $tracking,
			'shipped_at'      => 1796080789,
			'lines'           => $wire,
		);
	}

	/**
	 * Sends shipments; returns the results.
	 *
	 * @param array<int, array<string, mixed>> $shipments Shipments.
	 * @return array<int, array<string, mixed>>
	 */
	private function send( array $shipments ): array {
		$response = $this->signed(
			self::ROUTE,
			array(
				'erp'       => 'dolibarr',
				'shipments' => $shipments,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return ( (array) $response->get_data() )['results'];
	}

	/**
	 * Status, ledger, customer notes and staff notes of an order.
	 *
	 * @param int $order_id Order.
	 * @return array{status: string, ledger: array<string, mixed>, customer: array<int, string>, private: array<int, string>}
	 */
	private function state( int $order_id ): array {
		$order = wc_get_order( $order_id );
		$this->assertInstanceOf( \WC_Order::class, $order );
		$notes = static fn ( string $type ): array => array_values(
			array_map(
				static fn ( $n ): string => (string) $n->content,
				wc_get_order_notes(
					array(
						'order_id' => $order_id,
						'type'     => $type,
					)
				)
			)
		);
		return array(
			'status'   => $order->get_status(),
			'ledger'   => ( new OrderShipments() )->ledger( $order ),
			'customer' => $notes( 'customer' ),
			'private'  => array_values( array_filter( $notes( 'internal' ), static fn ( string $n ): bool => str_contains( $n, 'still to ship' ) ) ),
		);
	}

	/**
	 * Partial then the rest with tracking and a replay changes nothing.
	 */
	public function test_partial_then_the_rest_with_tracking_and_a_replay_changes_nothing(): void {
		$id    = $this->order();
		$first = $this->shipment( $id, '11', array( 'A' => 2, 'B' => 1 ), '1Z-FIRST' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$r     = $this->send( array( $first ) );
		$this->assertSame( 'applied', $r[0]['outcome'] );
		$this->assertSame( 'partially-shipped', $r[0]['status'] );
		$this->assertSame( 2, $r[0]['remaining'] );
		$s = $this->state( $id );
		$this->assertSame( 'partially-shipped', $s['status'] );
		$this->assertCount( 1, $s['customer'] );
		$this->assertStringContainsString( '1Z-FIRST', $s['customer'][0] );
		$this->assertStringContainsString( 'UPS', $s['customer'][0] );
		$this->assertStringContainsString( 'Still to ship: 1 ×', $s['customer'][0] );
		$this->assertCount( 1, $s['private'], 'the backordered lines are noted for the staff' );

		$rest = $this->shipment( $id, '12', array( 'A' => 1, 'B' => 1 ), '1Z-SECOND' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$r    = $this->send( array( $rest ) );
		$this->assertSame( 'applied', $r[0]['outcome'] );
		$this->assertSame( 'completed', $r[0]['status'] );
		$this->assertSame( 0, $r[0]['remaining'] );
		$done = $this->state( $id );
		$this->assertSame( 'completed', $done['status'] );
		$this->assertSame( array( 'dolibarr:11', 'dolibarr:12' ), array_keys( $done['ledger'] ) );
		$this->assertSame( '1Z-SECOND', $done['ledger']['dolibarr:12']['tracking_number'] );
		$this->assertCount( 2, $done['customer'] );

		$again = $this->send( array( $first, $rest ) );
		$this->assertSame( array( 'unchanged', 'unchanged' ), array_column( $again, 'outcome' ) );
		$this->assertSame( $done, $this->state( $id ), 'a replay changes nothing' );

		$html = ( new \Syncline\Shipments\ShipmentDisplay( new OrderShipments(), new \Syncline\Shipments\OrderProgress( new OrderShipments(), new \Syncline\Outbox\SkuMap( $this->db, $this->clock ) ) ) )->html( wc_get_order( $id ), false );
		$this->assertStringContainsString( '1Z-FIRST', $html );
		$this->assertStringContainsString( '1Z-SECOND', $html );
		$this->assertStringContainsString( 'https://track.example/?n=1Z-SECOND', $html );
		$this->assertStringNotContainsString( 'Still to ship', $html );
	}

	/**
	 * A tracking number set after the shipment is taken once.
	 */
	public function test_a_tracking_number_set_after_the_shipment_is_taken_once(): void {
		$id   = $this->order();
		$bare = $this->shipment( $id, '21', array( 'A' => 1 ), null ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( 'applied', $this->send( array( $bare ) )[0]['outcome'] );
		$tracked = $this->shipment( $id, '21', array( 'A' => 1 ), 'LATE-1' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( 'tracking_updated', $this->send( array( $tracked ) )[0]['outcome'] );
		$this->assertSame( 'unchanged', $this->send( array( $tracked ) )[0]['outcome'] );
		$s = $this->state( $id );
		$this->assertSame( 'LATE-1', $s['ledger']['dolibarr:21']['tracking_number'] );
		$this->assertSame( array( 1 ), array_values( $s['ledger']['dolibarr:21']['lines'] ) );
		$this->assertCount( 2, $s['customer'] );
		$this->assertStringContainsString( 'LATE-1', $s['customer'][0] ); // Newest first.
	}

	/**
	 * The mapping decides the statuses.
	 */
	public function test_the_mapping_decides_the_statuses(): void {
		( new Mappings( $this->db, $this->clock ) )->set( Mappings::SHIPMENT_STATUS, 'partial', 'keep' );
		( new Mappings( $this->db, $this->clock ) )->set( Mappings::SHIPMENT_STATUS, 'shipped', 'on-hold' );
		$id = $this->order();
		$this->send( array( $this->shipment( $id, '31', array( 'A' => 3 ), 'T31' ) ) ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( 'processing', $this->state( $id )['status'], 'partial → keep' );
		$this->send( array( $this->shipment( $id, '32', array( 'B' => 2 ), 'T32' ) ) ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( 'on-hold', $this->state( $id )['status'], 'shipped → on-hold' );
	}

	/**
	 * Orders not ours unknown or closed are left alone.
	 */
	public function test_orders_not_ours_unknown_or_closed_are_left_alone(): void {
		$id       = $this->order();
		$foreign  = array( 'correlation_id' => '00000000-0000-5000-8000-000000000000' ) + $this->shipment( $id, '41', array( 'A' => 1 ), 'X' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$unknown  = $this->shipment( 999999991, '42', array( 'A' => 1 ), 'X' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$before   = $this->state( $id );
		$outcomes = array_column( $this->send( array( $foreign, $unknown ) ), 'outcome' );
		$this->assertSame( array( 'not_ours', 'unknown_order' ), $outcomes );
		$this->assertSame( $before, $this->state( $id ) );

		$order = wc_get_order( $id );
		$order->update_status( 'cancelled' );
		$before = $this->state( $id );
		$this->assertSame( 'order_closed', $this->send( array( $this->shipment( $id, '43', array( 'A' => 1 ), 'X' ) ) )[0]['outcome'] ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( $before, $this->state( $id ) );
	}

	/**
	 * Bad signature or bad input changes nothing.
	 */
	public function test_bad_signature_or_bad_input_changes_nothing(): void {
		$id     = $this->order();
		$good   = $this->shipment( $id, '51', array( 'A' => 1 ), 'G' ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$before = $this->state( $id );
		$body   = array(
			'erp'       => 'dolibarr',
			'shipments' => array( $good ),
		);
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( self::ROUTE, $body, array( 'secret' => str_repeat( 'ab', 32 ) ) ) );
		$bad = array(
			array( 'lines' => array() ) + $good,
			array( 'shipment_id' => '52', 'tracking_url' => 'javascript:alert(1)' ) + $good, // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			array( 'shipment_id' => '53', 'order_id' => '12' ) + $good, // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			array( 'shipment_id' => '54', 'lines' => array( array( 'ref' => 'A', 'qty' => 0 ) ) ) + $good, // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			array( 'shipment_id' => '55', 'state' => 'draft' ) + $good, // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		);
		foreach ( $bad as $i => $item ) {
			$response = $this->signed(
				self::ROUTE,
				array(
					'erp'       => 'dolibarr',
					'shipments' => array( $good, $item ),
				)
			);
			$this->assert_error( 400, 'syncline_invalid_request', $response );
			$this->assertSame( $before, $this->state( $id ), "bad item {$i}: nothing applied, not even the good one" );
		}
		$dupes = $this->signed(
			self::ROUTE,
			array(
				'erp'       => 'dolibarr',
				'shipments' => array( $good, $good ),
			)
		);
		$this->assert_error( 400, 'syncline_invalid_request', $dupes );
		$this->assertSame( $before, $this->state( $id ) );
	}
}

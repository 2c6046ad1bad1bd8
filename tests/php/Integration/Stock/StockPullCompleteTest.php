<?php
/**
 * After a complete full pull: store SKUs the ERP lacks become needs-human events.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Stock;

use Syncline\Outbox\OutboxWriter;
use Syncline\Stock\StoreProducts;
use Syncline\Stock\UnknownSkus;

/**
 * The store holds only this test's products (the others are trashed inside the rolled-back transaction).
 *
 * @testdox Stock pull complete (POST /syncline/v1/stock/pull-complete)
 */
final class StockPullCompleteTest extends StockTestCase {

	private const ROUTE = '/syncline/v1/stock/pull-complete';

	/**
	 * Trashes the other products and forgets open unknown-SKU events (rolled back after the test).
	 */
	protected function setUp(): void {
		parent::setUp();
		$posts = $this->db->prefix() . 'posts';
		$this->db->query( "UPDATE {$posts} SET post_status = 'trash' WHERE post_type IN ('product', 'product_variation')" );
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'events' ) . ' WHERE topic = %s', array( UnknownSkus::TOPIC ) );
	}

	/**
	 * @testdox store SKUs no reading of the pull reached get one event each; seen, unchanged and unmanaged ones do not
	 */
	public function test_records_store_only_skus(): void {
		$this->product( 'SEEN', 1 );
		$this->product( 'UNCHANGED', 1 );
		$this->product( 'OLD-ROW', 1 );
		$this->product( 'STORE-ONLY', 1 );
		$parent = $this->product( 'PARENT', 0 );
		$this->product( 'VAR-ONLY', 1, 'no', $parent );
		syncline_test_create_product(
			array(
				'sku'          => $this->p . 'UNMANAGED',
				'manage_stock' => false,
			)
		);
		$this->apply( array( array( 'UNCHANGED', 5, $this->ms( -9000 ) ), array( 'OLD-ROW', 5, $this->ms( -9000 ) ), array( 'PARENT', 0, $this->ms( -9000 ) ) ) );
		$started = $this->ms( 0 );
		$r       = $this->apply( array( array( 'SEEN', 3, $started ), array( 'UNCHANGED', 5, $started + 5 ), array( 'PARENT', 2, $started + 5 ), array( 'NOT-IN-STORE', 1, $started ) ) );
		$this->assertSame( 1, $r['unchanged'], 'an unchanged reading still counts as seen' );

		$response = $this->signed(
			self::ROUTE,
			array(
				'started_at'    => gmdate( 'Y-m-d\TH:i:s', intdiv( $started, 1000 ) ) . sprintf( '.%03dZ', $started % 1000 ),
				'erp_skus_seen' => 4,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame(
			array(
				'missing'       => 3,
				'recorded'      => 3,
				'already_open'  => 0,
				'erp_skus_seen' => 4,
			),
			$response->get_data()
		);
		$events = $this->unknown_events();
		$this->assertSame( array( 'OLD-ROW', 'STORE-ONLY', 'VAR-ONLY' ), array_keys( $events ) );
		foreach ( $events as $sku => $event ) {
			$this->assertSame( 'needs_human', $event['state'] );
			$this->assertSame( 'sku', $event['object_type'] );
			$this->assertSame( UnknownSkus::object_id( $this->p . $sku ), (int) $event['object_id'] );
			$this->assertSame(
				'SKU ' . $this->p . $sku . ' is sold in the store but the ERP has no product with this reference: stock cannot be synced. Create it in the ERP or map the SKU.',
				$event['last_error_message']
			);
		}

		$again = $this->signed(
			self::ROUTE,
			array(
				'started_at'    => $started,
				'erp_skus_seen' => 4,
			)
		)->get_data();
		$this->assertSame( 0, $again['recorded'] );
		$this->assertSame( 3, $again['already_open'] );
		$this->assertCount( 3, $this->unknown_events(), 'at most one open event per SKU' );
	}

	/**
	 * @testdox /stock/missing and pull-complete share the one open event per SKU
	 */
	public function test_shared_with_missing(): void {
		$this->product( 'A', 1 );
		$this->signed( '/syncline/v1/stock/missing', array( 'skus' => array( $this->p . 'A' ) ) );
		$r = $this->signed(
			self::ROUTE,
			array(
				'started_at'    => $this->ms( 0 ),
				'erp_skus_seen' => 0,
			)
		)->get_data();
		$this->assertSame( 1, $r['missing'] );
		$this->assertSame( 0, $r['recorded'] );
		$this->assertCount( 1, $this->unknown_events() );
	}

	/**
	 * @testdox a product created after the pull started is left for the next full pull
	 */
	public function test_newer_product_left_alone(): void {
		$this->product( 'NEW', 1 );
		$r = $this->signed(
			self::ROUTE,
			array(
				'started_at'    => $this->ms( -10000 ),
				'erp_skus_seen' => 0,
			)
		)->get_data();
		$this->assertSame( 0, $r['missing'] );
		$this->assertSame( array(), $this->unknown_events() );
	}

	/**
	 * @testdox at most the cap is recorded per call, skipping open ones first; the total is returned
	 */
	public function test_cap(): void {
		foreach ( array( 'A', 'B', 'C' ) as $sku ) {
			$this->product( $sku, 1 );
		}
		$unknown = new UnknownSkus( $this->db, new OutboxWriter( $this->db, $this->options, $this->clock ), $this->clock );
		$pull    = array(
			'started_at'    => $this->ms( 0 ),
			'erp_skus_seen' => 0,
		);
		$first   = $unknown->after_full_pull( $pull, new StoreProducts( $this->db ), 2 );
		$this->assertSame( 3, $first['missing'] );
		$this->assertSame( 2, $first['recorded'] );
		$this->assertSame( array( 'A', 'B' ), array_keys( $this->unknown_events() ) );
		$second = $unknown->after_full_pull( $pull, new StoreProducts( $this->db ), 2 );
		$this->assertSame( 1, $second['recorded'] );
		$this->assertSame( 2, $second['already_open'] );
		$this->assertSame( array( 'A', 'B', 'C' ), array_keys( $this->unknown_events() ) );
	}

	/**
	 * @testdox bad pull-complete body ($field) gets 400 and records nothing
	 *
	 * @dataProvider bad_bodies
	 * @param array<mixed>|\Closure $body  Body, or a function giving it when the test runs.
	 * @param string                $field Field named in the errors.
	 */
	public function test_bad_bodies( array|\Closure $body, string $field ): void {
		$body = $body instanceof \Closure ? $body() : $body;
		$this->product( 'A', 1 );
		$before   = $this->snapshot();
		$response = $this->signed( self::ROUTE, $body );
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$this->assertArrayHasKey( $field, $response->as_error()->get_error_data()['errors'] );
		$this->assertSame( $before, $this->snapshot() );
	}

	/**
	 * Cases.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function bad_bodies(): array {
		$now  = (int) floor( microtime( true ) * 1000 );
		$good = array(
			'started_at'    => $now,
			'erp_skus_seen' => 3,
		);
		return array(
			'started_at missing'    => array( array( 'erp_skus_seen' => 3 ), 'started_at' ),
			'started_at not a time' => array( array( 'started_at' => 'yesterday' ) + $good, 'started_at' ),
			'started_at no zone'    => array( array( 'started_at' => '2024-01-01T00:00:00' ) + $good, 'started_at' ),
			'started_at negative'   => array( array( 'started_at' => -1 ) + $good, 'started_at' ),
			'started_at float'      => array( array( 'started_at' => 1.5 ) + $good, 'started_at' ),
			'started_at in future'  => array( array( 'started_at' => $now + 2 * 3600 * 1000 ) + $good, 'started_at' ),
			// Read when the test runs, not when PHPUnit builds the data sets (a minute or more earlier under load).
			'started_at 6 min on'   => array( fn () => array( 'started_at' => (int) floor( microtime( true ) * 1000 ) + 360 * 1000 ) + $good, 'started_at' ),
			'seen missing'          => array( array( 'started_at' => $now ), 'erp_skus_seen' ),
			'seen negative'         => array( array( 'erp_skus_seen' => -1 ) + $good, 'erp_skus_seen' ),
			'seen string'           => array( array( 'erp_skus_seen' => '3' ) + $good, 'erp_skus_seen' ),
			'unknown field'         => array( $good + array( 'skus' => array() ), 'skus' ),
		);
	}

	/**
	 * @testdox an unsigned or badly signed pull-complete gets 401 and records nothing
	 */
	public function test_unsigned(): void {
		$this->product( 'A', 1 );
		$body = array(
			'started_at'    => $this->ms( 0 ),
			'erp_skus_seen' => 0,
		);
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( self::ROUTE, $body, array( 'X-Syncline-Signature' => null ) ) );
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( self::ROUTE, $body, array( 'secret' => 'wrong' ) ) );
		$this->assertSame( array(), $this->unknown_events() );
	}

	/**
	 * Open unknown-SKU events of this test, by unprefixed SKU, in SKU order.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function unknown_events(): array {
		$out = array();
		foreach ( $this->events() as $event ) {
			if ( UnknownSkus::TOPIC !== $event['topic'] ) {
				continue;
			}
			$sku = (string) ( json_decode( (string) $event['last_error_details'], true )['sku'] ?? '' );
			$this->assertStringStartsWith( $this->p, $sku );
			$out[ substr( $sku, strlen( $this->p ) ) ] = $event;
		}
		ksort( $out );
		return $out;
	}
}

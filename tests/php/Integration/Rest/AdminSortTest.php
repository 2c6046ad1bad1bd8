<?php
/**
 * Sorting of the admin lists (SortArgs): each route sorts both ways, ties keep every row on exactly one page, a
 * field the route cannot sort by is a 400 with a field error.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Reconcile\ReconcileSchema;
use WP_REST_Response;

/**
 * @testdox Admin list sorting
 */
final class AdminSortTest extends RestTestCase {

	/** A manager. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'administrator' );
	}

	/**
	 * GET with query parameters, expecting 200.
	 *
	 * @param string               $route  Route.
	 * @param array<string, mixed> $params Parameters.
	 */
	private function get( string $route, array $params ): WP_REST_Response {
		$response = $this->dispatch( 'GET', $route, null, array(), $params );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response;
	}

	/**
	 * Every row of a sorted list, read page by page (small pages, so ties straddle page ends), checked: each row once,
	 * as many as X-WP-Total, in order of $value in the asked direction.
	 *
	 * @param string               $route  Route.
	 * @param array<string, mixed> $params orderby, order and filters.
	 * @param string               $id     The field naming a row.
	 * @param callable             $value  Row → the sorted value.
	 * @return array<int, mixed> The rows' ids in list order.
	 */
	private function walk( string $route, array $params, string $id, callable $value ): array {
		$rows  = array();
		$page  = 1;
		$pages = 1;
		do {
			$response = $this->get(
				$route,
				$params + array(
					'per_page' => 2,
					'page'     => $page,
				)
			);
			$total    = (int) $response->get_headers()['X-WP-Total'];
			$pages    = (int) $response->get_headers()['X-WP-TotalPages'];
			$rows     = array_merge( $rows, $response->get_data() );
		} while ( ++$page <= $pages );
		$ids = array_column( $rows, $id );
		$this->assertCount( $total, $rows, 'every row is on a page' );
		$this->assertSame( $ids, array_values( array_unique( $ids ) ), 'no row on two pages' );
		$values = array_map( $value, $rows );
		$sorted = $values;
		'desc' === $params['order'] ? rsort( $sorted ) : sort( $sorted );
		$this->assertSame( $sorted, $values, "{$route} by {$params['orderby']} {$params['order']}" );
		return $ids;
	}

	/**
	 * Both directions of one sort, which list the same rows in reverse (the tie-breaker turns with the sort).
	 *
	 * @param string               $route   Route.
	 * @param array<string, mixed> $params  orderby and filters.
	 * @param string               $id      The field naming a row.
	 * @param callable             $value   Row → the sorted value.
	 */
	private function both_ways( string $route, array $params, string $id, callable $value ): void {
		$asc  = $this->walk( $route, $params + array( 'order' => 'asc' ), $id, $value );
		$desc = $this->walk( $route, $params + array( 'order' => 'desc' ), $id, $value );
		$this->assertGreaterThan( 2, count( $asc ) );
		$this->assertSame( array_reverse( $asc ), $desc );
	}

	/**
	 * One exception event.
	 *
	 * @param int    $order    Order id.
	 * @param string $code     Reason.
	 * @param int    $attempts Attempts.
	 * @param int    $created  Unix time.
	 */
	private function exception( int $order, string $code, int $attempts, int $created ): void {
		$this->db->query(
			'INSERT INTO ' . $this->db->table( 'events' ) . " (topic, object_type, object_id, correlation_id, state, attempts, available_at, last_error_code, last_error_message, created_at, updated_at)
			VALUES ('order.created', 'order', %d, UUID(), 'needs_human', %d, 0, %s, 'x', %d, %d)",
			array( $order, $attempts, $code, $created, $created + $order % 3 )
		);
	}

	/**
	 * @testdox exception rows sort by order, reason, attempts, events and age, both ways, stable across pages
	 */
	public function test_exceptions(): void {
		$now = time();
		for ( $i = 1; $i <= 7; $i++ ) {
			$this->exception( 100 + $i, 0 === $i % 2 ? 'unknown_sku' : 'erp_rejected', 1 + $i % 2, $now - 3600 * ( $i % 3 ) - $i );
		}
		$this->exception( 101, 'erp_rejected', 5, $now - 99999 ); // A second event in order 101's row: 2 events, 5 attempts.
		$route = '/syncline/v1/admin/exceptions';
		$this->both_ways( $route, array( 'orderby' => 'object' ), 'group_key', fn ( $r ) => $r['object_id'] );
		$this->both_ways( $route, array( 'orderby' => 'reason' ), 'group_key', fn ( $r ) => $r['last_error_code'] );
		$this->both_ways( $route, array( 'orderby' => 'attempts' ), 'group_key', fn ( $r ) => max( array_column( $r['events'], 'attempts' ) ) );
		$this->both_ways( $route, array( 'orderby' => 'events' ), 'group_key', fn ( $r ) => $r['event_count'] );
		$this->both_ways( $route, array( 'orderby' => 'age' ), 'group_key', fn ( $r ) => -min( array_column( $r['events'], 'created_at' ) ) ); // Age: the row's oldest event.
		$newest = $this->get( $route, array() )->get_data();
		$this->assertSame( 101, $newest[0]['object_id'], 'by default the row with the newest event first (order 101\'s second event)' );
	}

	/**
	 * @testdox recent events sort by id and by last change, with and without a state filter
	 */
	public function test_events(): void {
		for ( $i = 1; $i <= 7; $i++ ) {
			$this->exception( 200 + $i, 'x', 1, 1000 + $i );
		}
		$route = '/syncline/v1/admin/events';
		$this->both_ways( $route, array( 'orderby' => 'updated' ), 'id', fn ( $r ) => $r['updated_at'] );
		$this->both_ways(
			$route,
			array(
				'orderby' => 'updated',
				'state'   => 'needs_human',
			),
			'id',
			fn ( $r ) => $r['updated_at']
		);
		$this->both_ways( $route, array( 'orderby' => 'id' ), 'id', fn ( $r ) => $r['id'] );
	}

	/**
	 * @testdox SKU mappings sort by SKU, ERP reference and last change; equal references stay on one page each
	 */
	public function test_sku_mappings(): void {
		$prefix = 'S' . wp_generate_password( 5, false ) . '-';
		$map    = $this->db->table( 'sku_map' );
		$this->db->query( "INSERT INTO {$map} (wc_sku, erp_ref, updated_at, updated_by) SELECT CONCAT(%s, seq), CONCAT(%s, 'R', seq % 3), 1000 + seq % 2, 0 FROM seq_1_to_9", array( $prefix, $prefix ) );
		$route = '/syncline/v1/admin/mappings/sku';
		$this->both_ways(
			$route,
			array(
				'orderby' => 'erp_ref',
				'search'  => $prefix,
			),
			'wc_sku',
			fn ( $r ) => $r['erp_ref']
		);
		$this->both_ways(
			$route,
			array(
				'orderby' => 'changed',
				'search'  => $prefix,
			),
			'wc_sku',
			fn ( $r ) => $r['updated_at']
		);
		$this->both_ways(
			$route,
			array(
				'orderby' => 'wc_sku',
				'search'  => $prefix,
			),
			'wc_sku',
			fn ( $r ) => $r['wc_sku']
		);
	}

	/**
	 * @testdox both history routes sort by time
	 */
	public function test_history(): void {
		$log = $this->db->table( 'event_log' );
		$this->db->query( "INSERT INTO {$log} (event_id, at, kind, details, user_id) SELECT 0, 5000 - seq % 3, 'sku_mapping', JSON_OBJECT('wc_sku', CONCAT('H', seq), 'old', NULL, 'new', 'R'), 0 FROM seq_1_to_7" );
		$this->assertSame( '7', $this->db->value( "SELECT COUNT(*) FROM {$log} WHERE event_id = 0" ) );
		$this->both_ways( '/syncline/v1/admin/mappings/history', array( 'orderby' => 'at' ), 'id', fn ( $r ) => $r['at'] );
		$this->both_ways( '/syncline/v1/admin/mappings/sku/history', array( 'orderby' => 'at' ), 'wc_sku', fn ( $r ) => $r['at'] );
	}

	/**
	 * @testdox reconciliation runs and items sort, items within their run
	 */
	public function test_reconciliation(): void {
		$runs  = $this->db->table( ReconcileSchema::RUNS );
		$items = $this->db->table( ReconcileSchema::ITEMS );
		$this->db->query( "INSERT INTO {$runs} (state, window_from, window_to, found, created_at, finished_at) SELECT 'done', 0, 1, seq % 2, 1, 100 + seq FROM seq_1_to_5" );
		$run = (int) $this->db->value( "SELECT MAX(id) FROM {$runs}" );
		$this->db->query( "INSERT INTO {$items} (run_id, class, object_type, object_key, state, message, details) SELECT %d, IF(seq % 2, 'stock_drift', 'order_missing'), 'sku', CONCAT('K', seq % 4), IF(seq % 3, 'open', 'cleared'), 'm', '{}' FROM seq_1_to_7", array( $run ) );
		$route = '/syncline/v1/admin/reconcile/items';
		foreach ( array( 'class', 'state' ) as $field ) {
			$this->both_ways(
				$route,
				array(
					'orderby' => $field,
					'run_id'  => $run,
				),
				'id',
				fn ( $r ) => $r[ $field ]
			);
		}
		$this->both_ways(
			$route,
			array(
				'orderby' => 'object',
				'run_id'  => $run,
			),
			'id',
			fn ( $r ) => $r['object_type'] . ' ' . $r['object_key']
		);
		$this->both_ways( '/syncline/v1/admin/reconcile/runs', array( 'orderby' => 'found' ), 'id', fn ( $r ) => $r['found'] );
	}

	/**
	 * @testdox a field a list cannot sort by, or an order that is not asc/desc, is a 400 naming the field; nothing changes
	 */
	public function test_bad_sort(): void {
		$this->exception( 301, 'x', 1, 1000 );
		$before = $this->snapshot();
		foreach ( array(
			array( '/syncline/v1/admin/exceptions', array( 'orderby' => 'message' ), 'orderby' ),
			array( '/syncline/v1/admin/events', array( 'orderby' => 'id; DROP TABLE x' ), 'orderby' ),
			array( '/syncline/v1/admin/mappings/sku', array( 'orderby' => 'updated_by' ), 'orderby' ),
			array( '/syncline/v1/admin/mappings/history', array( 'order' => 'up' ), 'order' ),
			array( '/syncline/v1/admin/reconcile/items', array( 'orderby' => 'details' ), 'orderby' ),
		) as list( $route, $params, $field ) ) {
			$response = $this->dispatch( 'GET', $route, null, array(), $params );
			$this->assert_error( 400, 'syncline_invalid_request', $response );
			$data = rest_get_server()->response_to_data( $response, false );
			$this->assertSame( array( $field ), array_keys( $data['data']['errors'] ), $route );
		}
		$this->assertSame( $before, $this->snapshot() );
	}
}

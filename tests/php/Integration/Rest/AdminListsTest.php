<?php
/**
 * The admin lists read in SQL: SKU mappings past 5,000, one exception row per order and reason, row and bulk
 * actions across pages, one mapping history.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use WP_REST_Response;

/**
 * @testdox Admin lists
 */
final class AdminListsTest extends RestTestCase {

	/** A manager. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'administrator' );
	}

	/**
	 * Writes one exception event straight into the outbox.
	 *
	 * @param int    $order   Order id.
	 * @param string $topic   Topic.
	 * @param string $code    Reason code.
	 * @param int    $created Unix time.
	 */
	private function exception( int $order, string $topic, string $code, int $created ): int {
		$this->db->query(
			'INSERT INTO ' . $this->db->table( 'events' ) . " (topic, object_type, object_id, correlation_id, state, attempts, available_at, last_error_code, last_error_message, created_at, updated_at)
			VALUES (%s, 'order', %d, UUID(), 'needs_human', 3, 0, %s, %s, %d, %d)",
			array( $topic, $order, $code, "SKU X-{$order} has no ERP product", $created, $created )
		);
		return $this->db->insert_id();
	}

	/**
	 * GET with query parameters.
	 *
	 * @param string               $route  Route.
	 * @param array<string, mixed> $params Parameters.
	 */
	private function get( string $route, array $params = array() ): WP_REST_Response {
		$response = $this->dispatch( 'GET', $route, null, array(), $params );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response;
	}

	/**
	 * @testdox the SKU list pages and searches in SQL: mappings past 5,000 are listed
	 */
	public function test_sku_paging_past_5000(): void {
		$prefix = 'P' . wp_generate_password( 5, false ) . '-';
		$map    = $this->db->table( 'sku_map' );
		$this->db->query( "INSERT INTO {$map} (wc_sku, erp_ref, updated_at, updated_by) SELECT CONCAT(%s, LPAD(seq, 5, '0')), CONCAT('ERP-', seq), 1, 0 FROM seq_1_to_5100", array( $prefix ) );
		$last = $this->get(
			'/syncline/v1/admin/mappings/sku',
			array(
				'search'   => $prefix,
				'per_page' => 100,
				'page'     => 51,
			)
		);
		$this->assertSame( '5100', $last->get_headers()['X-WP-Total'] );
		$this->assertSame( '51', $last->get_headers()['X-WP-TotalPages'] );
		$rows = $last->get_data();
		$this->assertSame( $prefix . '05001', $rows[0]['wc_sku'] );
		$this->assertSame( 'ERP-5100', $rows[99]['erp_ref'] );
		$one = $this->get( '/syncline/v1/admin/mappings/sku', array( 'search' => 'erp-5099' ) );
		$this->assertContains( $prefix . '05099', array_column( $one->get_data(), 'wc_sku' ) );
		$csv = $this->get( '/syncline/v1/admin/mappings/sku/export' )->get_data()['csv'];
		$this->assertStringContainsString( $prefix . '05100,ERP-5100', $csv );
	}

	/**
	 * @testdox one order with one unmapped SKU on two topics is one row, with both events behind it
	 */
	public function test_one_row_per_order_and_reason(): void {
		$now    = time();
		$first  = $this->exception( 501, 'order.created', 'unmapped_sku', $now - 600 );
		$second = $this->exception( 501, 'order.status_changed', 'unmapped_sku', $now - 60 );
		$other  = $this->exception( 501, 'order.status_changed', 'erp_rejected', $now - 30 );
		$list   = $this->get( '/syncline/v1/admin/exceptions' );
		$rows   = $list->get_data();
		$this->assertSame( '2', $list->get_headers()['X-WP-Total'] );
		$this->assertSame( array( 'order:501:erp_rejected', 'order:501:unmapped_sku' ), array_column( $rows, 'group_key' ) );
		$row = $rows[1];
		$this->assertSame( $first, $row['id'] );
		$this->assertSame( 'order.created', $row['topic'] );
		$this->assertSame( $now - 60, $row['updated_at'] );
		$this->assertSame( 'unmapped_sku', $row['last_error_code'] );
		$this->assertSame( $now - 600, $row['created_at'] );
		$this->assertSame( 2, $row['event_count'] );
		$this->assertSame( array( $second, $first ), $row['event_ids'] );
		$this->assertSame( array( 'order.status_changed', 'order.created' ), array_column( $row['events'], 'topic' ) );
		$this->assertSame( array( $other ), $rows[0]['event_ids'] );
		// The filters still apply: a reason, an order number.
		$this->assertCount( 1, $this->get( '/syncline/v1/admin/exceptions', array( 'code' => 'unmapped_sku' ) )->get_data() );
		$this->assertCount( 2, $this->get( '/syncline/v1/admin/exceptions', array( 'search' => '#501' ) )->get_data() );
	}

	/**
	 * @testdox retrying a row puts all its events back; discarding a row discards all its events
	 */
	public function test_row_actions(): void {
		$now   = time();
		$a     = $this->exception( 601, 'order.created', 'unmapped_sku', $now );
		$b     = $this->exception( 601, 'order.status_changed', 'unmapped_sku', $now );
		$c     = $this->exception( 602, 'order.created', 'customer_invalid', $now );
		$d     = $this->exception( 602, 'order.status_changed', 'customer_invalid', $now );
		$retry = $this->dispatch( 'POST', '/syncline/v1/admin/exceptions/retry', null, array(), array( 'groups' => array( 'order:601:unmapped_sku' ) ) );
		$this->assertSame( 200, $retry->get_status(), (string) wp_json_encode( $retry->get_data() ) );
		$this->assertSame( array( $a, $b ), $retry->get_data()['ids'] );
		$this->assert_event_count( 2, 601, 'pending' );
		$discard = $this->dispatch(
			'POST',
			'/syncline/v1/admin/exceptions/discard',
			null,
			array(),
			array(
				'groups' => array( 'order:602:customer_invalid' ),
				'reason' => 'test order',
			)
		);
		$this->assertSame( 2, $discard->get_data()['discarded'] );
		$this->assertSame( array( $c, $d ), $discard->get_data()['ids'] );
		$this->assert_event_count( 2, 602, 'discarded' );
		$this->assertSame( array(), $this->get( '/syncline/v1/admin/exceptions' )->get_data() );
		$this->assert_error( 400, 'rest_invalid_param', $this->dispatch( 'POST', '/syncline/v1/admin/exceptions/retry', null, array(), array( 'groups' => array( 'DROP TABLE' ) ) ) );
	}

	/**
	 * @testdox a bulk retry by reason puts back every row of that reason across pages, and only those
	 */
	public function test_bulk_retry_by_reason_across_pages(): void {
		$now = time();
		for ( $order = 700; $order < 730; $order++ ) {
			$this->exception( $order, 'order.created', 'unmapped_sku', $now - $order );
			$this->exception( $order, 'order.status_changed', 'unmapped_sku', $now - $order );
		}
		$this->exception( 800, 'order.created', 'erp_rejected', $now );
		$page = $this->get(
			'/syncline/v1/admin/exceptions',
			array(
				'code'     => 'unmapped_sku',
				'per_page' => 10,
				'page'     => 3,
			)
		);
		$this->assertSame( '30', $page->get_headers()['X-WP-Total'] );
		$this->assertSame( '3', $page->get_headers()['X-WP-TotalPages'] );
		$this->assertCount( 10, $page->get_data() );
		$bulk = $this->dispatch( 'POST', '/syncline/v1/admin/exceptions/retry-by-code', null, array(), array( 'code' => 'unmapped_sku' ) );
		$this->assertSame( 60, $bulk->get_data()['retried'] );
		$left = $this->get( '/syncline/v1/admin/exceptions' );
		$this->assertSame( '1', $left->get_headers()['X-WP-Total'] );
		$this->assertSame( 'order:800:erp_rejected', $left->get_data()[0]['group_key'] );
	}

	/**
	 * @testdox both history routes read the one mapping history, paged
	 */
	public function test_one_history(): void {
		$sku = 'H' . wp_generate_password( 6, false );
		for ( $i = 1; $i <= 3; $i++ ) {
			$this->assertSame( 200, $this->put_mapping( 'sku', $sku, "R{$i}" )->get_status() );
		}
		$this->assertSame( 200, $this->put_mapping( 'payment_method', 'bacs', '2' )->get_status() );
		$all = $this->get( '/syncline/v1/admin/mappings/history', array( 'per_page' => 2 ) );
		$this->assertSame( '4', $all->get_headers()['X-WP-Total'] );
		$this->assertSame( 'payment_method', $all->get_data()[0]['type'] );
		$sku_only = $this->get( '/syncline/v1/admin/mappings/history', array( 'type' => 'sku' ) );
		$this->assertSame( '3', $sku_only->get_headers()['X-WP-Total'] );
		$this->assertSame( '1', $this->get( '/syncline/v1/admin/mappings/history', array( 'type' => 'payment_method' ) )->get_headers()['X-WP-Total'] );
		$old = $this->get(
			'/syncline/v1/admin/mappings/sku/history',
			array(
				'per_page' => 1,
				'page'     => 2,
			)
		);
		$this->assertSame( '3', $old->get_headers()['X-WP-Total'] );
		$this->assertSame(
			array(
				'wc_sku'      => $sku,
				'old_erp_ref' => 'R1',
				'new_erp_ref' => 'R2',
			),
			array_intersect_key( $old->get_data()[0], array_flip( array( 'wc_sku', 'old_erp_ref', 'new_erp_ref' ) ) )
		);
	}
}

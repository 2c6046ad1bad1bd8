<?php
/**
 * The Overview's "orders pushed in the last 24 hours".
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Tests\Integration\Rest\RestTestCase;

/**
 * @testdox Overview: orders pushed per hour
 */
final class OverviewPushedTest extends RestTestCase {

	/**
	 * @testdox counts orders whose push did something in the ERP, once per order and hour; covered events, replays that found everything, and other topics are not orders pushed
	 */
	public function test_counts_orders_pushed(): void {
		$this->login_as( 'shop_manager' );
		$before = $this->pushed_now();
		$a      = $this->order_id();
		$b      = $this->order_id();
		$c      = $this->order_id();
		$pushed = (string) wp_json_encode(
			array(
				'erp'       => 'dolibarr',
				'documents' => array(),
				'steps'     => array( 'sales_order', 'validate_order' ),
			)
		);
		$this->done( 'order.created', 'order', $a, $pushed );
		$this->done( 'order.refunded', 'order', $a, (string) wp_json_encode( array( 'steps' => array( 'credit_note' ) ) ) );
		$this->done( 'order.status_changed', 'order', $a, (string) wp_json_encode( array( 'coalesced_into' => 1 ) ) );
		$this->done( 'order.created', 'order', $b, (string) wp_json_encode( array( 'steps' => array() ) ) );
		$this->done( 'order.created', 'order', $c, $pushed );
		$this->done( 'stock.resync', 'stock', 0, (string) wp_json_encode( array( 'steps' => array( 'stock' ) ) ) );
		$this->assertSame( $before + 2, $this->pushed_now() );
	}

	/**
	 * Inserts a done event updated now.
	 *
	 * @param string $topic  Topic.
	 * @param string $type   Object type.
	 * @param int    $id     Object id.
	 * @param string $result Stored result (JSON).
	 */
	private function done( string $topic, string $type, int $id, string $result ): void {
		global $wpdb;
		$wpdb->insert(
			$wpdb->prefix . 'syncline_events',
			array(
				'topic'          => $topic,
				'object_type'    => $type,
				'object_id'      => $id,
				'correlation_id' => wp_generate_uuid4(),
				'state'          => 'done',
				'attempts'       => 1,
				'available_at'   => time(),
				'result'         => $result,
				'created_at'     => time(),
				'updated_at'     => time(),
			)
		);
	}

	/** The Overview's count for the current hour. */
	private function pushed_now(): int {
		$data = $this->dispatch( 'GET', '/syncline/v1/admin/overview' )->get_data();
		$last = end( $data['pushed_24h'] );
		return (int) $last['count'];
	}
}

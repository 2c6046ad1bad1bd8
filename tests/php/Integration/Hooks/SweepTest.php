<?php
/**
 * A failed outbox write is remembered and shown; the sweep finds orders without an event and enqueues them.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Hooks;

use Syncline\Admin\Notices;
use Syncline\Exception\StorageError;
use Syncline\Hooks\MissedOrders;
use Syncline\Hooks\OrderHooks;
use Syncline\Hooks\OrderIds;
use Syncline\Hooks\OrderSweep;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Missed orders and the sweep
 */
final class SweepTest extends IntegrationTestCase {

	/** No remembered orders; the object cache forgets options a previous rollback removed. */
	protected function setUp(): void {
		parent::setUp();
		wp_cache_flush();
		delete_option( OutboxSchema::MISSED_ORDERS_OPTION );
	}

	/** A writer whose INSERT fails, as when the database refuses. */
	private function broken_writer(): OutboxWriter {
		return new class( $this->db, $this->options, $this->clock ) extends OutboxWriter {
			/**
			 * Fails.
			 *
			 * @param string $topic       Topic.
			 * @param string $object_type Type.
			 * @param int    $object_id   Id.
			 * @throws StorageError Always.
			 */
			public function record( string $topic, string $object_type, int $object_id ): void {
				throw StorageError::from_db( 'Deadlock found when trying to get lock' );
			}
		};
	}

	/**
	 * The admin notices' HTML for a user of some role.
	 *
	 * @param string $role Role.
	 */
	private function notices_for( string $role ): string {
		$this->login_as( $role );
		ob_start();
		( new Notices( $this->options, new MissedOrders( $this->options ) ) )->render();
		return (string) ob_get_clean();
	}

	/** The sweep on this test's services. */
	private function sweep(): OrderSweep {
		return new OrderSweep( $this->db, $this->writer(), new OrderIds(), new MissedOrders( $this->options ) );
	}

	/**
	 * A real order (through the test helper) whose outbox events are then removed, as if every hook write failed.
	 */
	private function order_without_events(): int {
		if ( ! function_exists( 'syncline_test_create_order' ) ) {
			$this->markTestSkipped( 'Needs the Syncline test helper plugin (orders).' );
		}
		$id = syncline_test_create_order( array( 'status' => 'processing' ) );
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'events' ) . " WHERE object_type = 'order' AND object_id = %d", array( $id ) );
		return $id;
	}

	/**
	 * Events of an order by topic.
	 *
	 * @param int $order_id Order id.
	 * @return array<int, string>
	 */
	private function topics( int $order_id ): array {
		return array_map( 'strval', array_column( $this->db->rows( 'SELECT topic FROM ' . $this->db->table( 'events' ) . " WHERE object_type = 'order' AND object_id = %d ORDER BY id", array( $order_id ) ), 'topic' ) );
	}

	/**
	 * @testdox a failed outbox write in a hook is remembered and shown to managers only, escaped
	 */
	public function test_failed_write_noticed(): void {
		$hooks = new OrderHooks( $this->broken_writer(), new MissedOrders( $this->options ) );
		$hooks->record( 'order.created', 4242 );
		$hooks->record( 'order.paid', 4242 );
		$hooks->record( 'order.created', 4243 );
		$this->assertSame( array( 4242, 4243 ), array_keys( ( new MissedOrders( $this->options ) )->all() ) );
		$html = $this->notices_for( 'shop_manager' );
		$this->assertStringContainsString( 'notice-warning', $html );
		$this->assertStringContainsString( '4242, 4243', $html );
		$this->assertStringContainsString( 'wp syncline sweep', $html );
		$this->assertSame( '', $this->notices_for( 'editor' ) );
	}

	/**
	 * @testdox the sweep enqueues an order of the last days that has no outbox event, once, and clears the notice
	 */
	public function test_sweep_enqueues(): void {
		$lost = $this->order_without_events();
		$fine = syncline_test_create_order( array( 'status' => 'processing' ) );
		( new MissedOrders( $this->options ) )->add( $lost );
		$before = $this->topics( $fine );

		$dry = $this->sweep()->sweep( 7, true );
		$this->assertContains( $lost, $dry['missing'] );
		$this->assertNotContains( $fine, $dry['missing'] );
		$this->assertSame( array(), $this->topics( $lost ), 'a dry run writes nothing' );

		$run = $this->sweep()->sweep( 7 );
		$this->assertContains( $lost, $run['missing'] );
		$this->assertSame( array( OrderSweep::TOPIC ), $this->topics( $lost ) );
		$this->assertSame( $before, $this->topics( $fine ) );
		$this->assertSame( array(), ( new MissedOrders( $this->options ) )->all() );
		$this->assertSame( '', $this->notices_for( 'administrator' ) );

		$again = $this->sweep()->sweep( 7 );
		$this->assertNotContains( $lost, $again['missing'] );
		$this->assertSame( array( OrderSweep::TOPIC ), $this->topics( $lost ) );
	}

	/**
	 * @testdox the hourly sweep is a WP-Cron event with a listener; scheduling is idempotent and deactivation removes it
	 */
	public function test_cron(): void {
		OrderSweep::unschedule();
		OrderSweep::schedule();
		$first = wp_next_scheduled( OrderSweep::CRON_HOOK );
		OrderSweep::schedule();
		$this->assertIsInt( $first );
		$this->assertSame( $first, wp_next_scheduled( OrderSweep::CRON_HOOK ) );
		$this->assertSame( 'hourly', wp_get_schedule( OrderSweep::CRON_HOOK ) );
		$this->assertNotFalse( has_action( OrderSweep::CRON_HOOK ), 'the plugin listens to its cron hook' );
		OrderSweep::unschedule();
		$this->assertFalse( wp_next_scheduled( OrderSweep::CRON_HOOK ) );
	}
}

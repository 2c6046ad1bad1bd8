<?php
/**
 * Reconciliation runs and items on the real database: queueing, reports, superseding and clearing, repair.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Reconcile;

use Syncline\Exception\Conflict;
use Syncline\Exception\InvalidRequest;
use Syncline\Hooks\RunLog;
use Syncline\Hooks\Schedules;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use Syncline\Reconcile\ReconcileJob;
use Syncline\Reconcile\ReconcileRequests;
use Syncline\Reconcile\ReconcileSchema;
use Syncline\Reconcile\ReconcileStore;
use Syncline\Reconcile\Repair;
use Syncline\Stock\StockTables;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * Runs inside the test transaction (the tables exist: the plugin created them on plugins_loaded).
 */
final class ReconcileStoreTest extends IntegrationTestCase {

	/**
	 * Runs and items.
	 *
	 * @var ReconcileStore
	 */
	private ReconcileStore $store;

	/**
	 * Repairs.
	 *
	 * @var Repair
	 */
	private Repair $repair;

	/** Tables first (DDL would end the transaction), then the transaction. */
	protected function setUp(): void {
		if ( defined( 'ABSPATH' ) ) {
			global $wpdb;
			( new ReconcileSchema( new Db( $wpdb ), new Options() ) )->maybe_upgrade();
		}
		parent::setUp();
		$this->store  = new ReconcileStore( $this->db, $this->writer(), $this->clock );
		$this->repair = new Repair( $this->db, $this->writer(), $this->store );
	}

	/**
	 * An item as the sidecar reports it (validated like the route does).
	 *
	 * @param string $class Class.
	 * @param string $key   Order id or SKU.
	 * @param int    $time  Order creation time.
	 * @return array<string, mixed>
	 */
	private static function item( string $class, string $key, int $time = 1000 ): array {
		$type = 'stock_drift' === $class ? 'sku' : 'order';
		return ReconcileRequests::report(
			array(
				'run_id' => 1,
				'items'  => array(
					array(
						'class'       => $class,
						'object_type' => $type,
						'object_key'  => $key,
						'repairable'  => true,
						'message'     => "{$class} {$key}",
						'details'     => array( 'k' => 1 ),
						'object_time' => $time,
					),
				),
			)
		)['items'][0];
	}

	/** Topic → count of pending events. */
	private function pending(): array {
		$rows = $this->db->rows( 'SELECT topic, COUNT(*) AS n FROM ' . $this->db->table( OutboxSchema::EVENTS ) . " WHERE state = 'pending' GROUP BY topic" );
		return array_column( $rows, 'n', 'topic' );
	}

	/**
	 * @testdox a run is queued with its reconcile.run event; start, items, finish count per class; repair queues the right resync for the repairable ones only
	 */
	public function test_run_and_repair(): void {
		$id = $this->store->queue( 0, 5000, true, 'cli' );
		$this->assertSame( '1', (string) ( $this->pending()['reconcile.run'] ?? 0 ) );
		$this->assertSame( 'running', $this->store->start( $id )['state'] );
		$this->db->query( 'INSERT INTO ' . $this->db->table( StockTables::STOCK_STATE ) . " (sku, last_erp_ats, last_read_at) VALUES ('SKU-D', 5, 1)" );
		$this->store->add_items(
			$id,
			array(
				self::item( 'missing_in_erp', '11' ),
				self::item( 'no_outbox_event', '12' ),
				self::item( 'duplicated_in_erp', '13' ),
				self::item( 'total_mismatch', '14' ),
				self::item( 'stock_drift', 'SKU-D' ),
			)
		);
		$run = $this->store->finish( $id, 100, 10, null, 1234 );
		$this->assertSame( array( 5, 1234, 'done' ), array( $run['found'], $run['duration_ms'], $run['state'] ) );
		$this->assertSame( 1, $run['counts']['total_mismatch'] );

		$done = $this->repair->repair_run( $id );
		$this->assertSame( 3, $done['repaired'], 'missing, no event and drift; never the duplicate or the total (the route marks them not repairable)' );
		$this->assertSame( 2, $done['skipped'] );
		$pending = $this->pending();
		$this->assertSame( '2', (string) ( $pending['order.resync'] ?? 0 ) );
		$this->assertSame( '1', (string) ( $pending['stock.resync'] ?? 0 ) );
		$this->assertNull( $this->db->value( 'SELECT sku FROM ' . $this->db->table( StockTables::STOCK_STATE ) . " WHERE sku = 'SKU-D'" ), 'the drifted SKU is set absolutely on the next pull' );
		$this->assertSame( 3, $this->store->run( $id )['repaired'] );
		$this->assertSame( 0, $this->repair->repair_run( $id )['repaired'], 'a second repair does nothing' );
	}

	/**
	 * @testdox the next run supersedes what it finds again and clears what it checked and found fine; orders outside its window stay
	 */
	public function test_next_run_clears(): void {
		$first = $this->store->queue( 0, 5000, false, 'cron' );
		$this->store->start( $first );
		$this->store->add_items( $first, array( self::item( 'missing_in_erp', '21', 1000 ), self::item( 'total_mismatch', '22', 1000 ), self::item( 'missing_in_erp', '23', 9000 ), self::item( 'stock_drift', 'SKU-X' ) ) );
		$this->store->finish( $first, 3, 1, null );
		$second = $this->store->queue( 500, 5000, false, 'cron' );
		$this->store->start( $second );
		$this->store->add_items( $second, array( self::item( 'total_mismatch', '22', 1000 ) ) );
		$run    = $this->store->finish( $second, 3, 1, null );
		$states = array_column( $this->store->items_page( array( 'run_id' => $first ), 1, 10 )['rows'], 'state', 'object_key' );
		$this->assertSame(
			array(
				'21'    => 'cleared',
				'22'    => 'superseded',
				'23'    => 'open',
				'SKU-X' => 'cleared',
			),
			$states
		);
		$this->assertSame( 2, $run['cleared'] );
		$this->expectException( Conflict::class );
		$this->store->start( $first );
	}

	/**
	 * @testdox a report with an unknown class is refused whole; duplicates and totals are never repairable whatever the sidecar says
	 */
	public function test_report_validation(): void {
		$this->assertFalse( self::item( 'duplicated_in_erp', '1' )['repairable'] );
		$this->assertFalse( self::item( 'total_mismatch', '1' )['repairable'] );
		$this->expectException( InvalidRequest::class );
		ReconcileRequests::report(
			array(
				'run_id' => 1,
				'items'  => array(
					array(
						'class'       => 'made_up',
						'object_type' => 'order',
						'object_key'  => '1',
						'message'     => 'x',
					),
				),
			)
		);
	}

	/**
	 * @testdox the reconciliation job queues a run (not a second while one is queued); its schedule heals when lost and follows reconcile_hours
	 */
	public function test_job_and_schedule(): void {
		$job = new ReconcileJob( $this->store );
		$this->assertStringContainsString( 'queued', $job() );
		$this->assertStringContainsString( 'still queued', $job() );
		$schedules = new Schedules( $this->writer(), $this->options, new RunLog( $this->options ), $job );
		wp_clear_scheduled_hook( Schedules::RECONCILE_HOOK );
		$schedules->schedule();
		$event = wp_get_scheduled_event( Schedules::RECONCILE_HOOK );
		$this->assertNotFalse( $event, 'a lost job is scheduled again' );
		$this->assertSame( 24 * 3600, (int) $event->interval );
		$this->assertFalse( Schedules::interval_jobs()['reconcile_hours']->valid( 0 ) );
		$this->assertFalse( Schedules::interval_jobs()['reconcile_hours']->valid( '169' ) );
		$this->assertTrue( Schedules::interval_jobs()['reconcile_hours']->valid( '6' ) );
	}
}

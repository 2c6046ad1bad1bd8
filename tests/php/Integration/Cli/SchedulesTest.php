<?php
/**
 * WP-Cron schedules: activation, deactivation, interval from Settings, runs, `wp syncline schedules`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Cli;

use Syncline\Exception\InvalidRequest;
use Syncline\Admin\Data\SettingsStore;
use Syncline\Cli\SchedulesCommand;
use Syncline\Hooks\OrderSweep;
use Syncline\Hooks\RunLog;
use Syncline\Hooks\ScheduleReport;
use Syncline\Hooks\Schedules;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Products\ProductsModule;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * Runs against the plugin as WordPress loaded it (its registered hooks).
 */
final class SchedulesTest extends IntegrationTestCase {

	private const BASENAME = 'syncline/plugin.php';

	/** Starts from no Syncline cron event and the default interval. */
	protected function setUp(): void {
		parent::setUp();
		self::forget_cached_options();
		Schedules::unschedule();
		delete_option( RunLog::OPTION );
	}

	/** Puts the schedules back as activation leaves them. */
	protected function tearDown(): void {
		delete_option( RunLog::OPTION );
		parent::tearDown();
		self::forget_cached_options();
		do_action( 'activate_' . self::BASENAME );
	}

	/** The transaction rollback restores the options table, not WordPress's cache of it. */
	private static function forget_cached_options(): void {
		foreach ( array( Options::SETTINGS, 'alloptions', 'notoptions' ) as $key ) {
			wp_cache_delete( $key, 'options' );
		}
	}

	/**
	 * @testdox activation schedules the stock pull (Settings interval, 60 min by default) and the sweep; deactivation removes both
	 */
	public function test_activation_and_deactivation(): void {
		$this->assertFalse( wp_next_scheduled( Schedules::STOCK_PULL_HOOK ) );
		do_action( 'activate_' . self::BASENAME );
		$this->assertIsInt( wp_next_scheduled( Schedules::STOCK_PULL_HOOK ) );
		$this->assertIsInt( wp_next_scheduled( OrderSweep::CRON_HOOK ) );
		$this->assertSame( Schedules::INTERVAL_NAME, wp_get_schedule( Schedules::STOCK_PULL_HOOK ) );
		$this->assertSame( 3600, wp_get_schedules()[ Schedules::INTERVAL_NAME ]['interval'] );
		do_action( 'deactivate_' . self::BASENAME );
		$this->assertFalse( wp_next_scheduled( Schedules::STOCK_PULL_HOOK ) );
		$this->assertFalse( wp_next_scheduled( OrderSweep::CRON_HOOK ) );
	}

	/**
	 * @testdox the interval comes from Settings (validated, 5–1440 minutes); a change reschedules the next run
	 */
	public function test_interval_from_settings(): void {
		$store = new SettingsStore( $this->options );
		$base  = array(
			'erp_url'      => 'https://erp.example/api/index.php',
			'warehouse_id' => 1,
		);
		try {
			$store->save( $base + array( 'stock_pull_minutes' => 2 ) );
			$this->fail( 'an interval under 5 minutes is refused' );
		} catch ( InvalidRequest $e ) {
			$this->assertArrayHasKey( 'stock_pull_minutes', $e->errors );
		}
		do_action( 'activate_' . self::BASENAME );
		$view = $store->save( $base + array( 'stock_pull_minutes' => '15' ) );
		$this->assertSame( 15, $view['stock_pull_minutes'] );
		$this->assertSame( 900, wp_get_schedules()[ Schedules::INTERVAL_NAME ]['interval'] );
		$next = (int) wp_next_scheduled( Schedules::STOCK_PULL_HOOK );
		$this->assertEqualsWithDelta( time() + 900, $next, 5, 'rescheduled to the new interval' );
		$this->assertSame( 15, $store->save( $base )['stock_pull_minutes'], 'a missing field keeps the stored interval' );
	}

	/**
	 * @testdox a stock pull run enqueues stock.resync for the sidecar and records its last run and outcome
	 */
	public function test_run_enqueues_and_records(): void {
		do_action( Schedules::STOCK_PULL_HOOK ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.DynamicHooknameFound -- syncline_stock_pull.
		$table = $this->db->table( OutboxSchema::EVENTS );
		$this->assertSame( 1, (int) $this->db->value( "SELECT COUNT(*) FROM {$table} WHERE topic = %s AND state = 'pending'", array( 'stock.resync' ) ) );
		$run = ( new RunLog( $this->options ) )->all()[ Schedules::STOCK_PULL_HOOK ] ?? null;
		$this->assertNotNull( $run );
		$this->assertSame( 'ok', $run['outcome'] );
		$this->assertEqualsWithDelta( time(), $run['last_run'], 5 );
	}

	/**
	 * @testdox a failed run is recorded as failed with its message, never thrown into WP-Cron
	 */
	public function test_failed_run_recorded(): void {
		$runs = new RunLog( $this->options );
		$runs->run(
			'syncline_test_job',
			static function (): string {
				throw new \RuntimeException( 'ERP table missing' );
			}
		);
		$this->assertSame( 'failed', $runs->all()['syncline_test_job']['outcome'] );
		$this->assertSame( 'ERP table missing', $runs->all()['syncline_test_job']['message'] );
	}

	/**
	 * @testdox `wp syncline schedules` lists both jobs with next run and last outcome, and warns when one is missing or overdue
	 */
	public function test_command_rows(): void {
		$command = new SchedulesCommand( ScheduleReport::of( new RunLog( $this->options ), null ) );
		$rows    = array_column( $command->rows( time() ), null, 'hook' );
		$this->assertSame( array( Schedules::STOCK_PULL_HOOK, OrderSweep::CRON_HOOK ), array_keys( $rows ) );
		$this->assertStringContainsString( 'not scheduled', $rows[ Schedules::STOCK_PULL_HOOK ]['warning'] );

		wp_schedule_event( time() - 3 * 3600, Schedules::INTERVAL_NAME, Schedules::STOCK_PULL_HOOK );
		OrderSweep::schedule();
		do_action( Schedules::STOCK_PULL_HOOK ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.DynamicHooknameFound -- syncline_stock_pull.
		$rows = array_column( $command->rows( time() ), null, 'hook' );
		$pull = $rows[ Schedules::STOCK_PULL_HOOK ];
		$this->assertSame( 3600, $pull['interval_s'] );
		$this->assertSame( 'ok', $pull['outcome'] );
		$this->assertStringContainsString( 'missed', $pull['warning'], 'overdue by more than one interval: WP-Cron had no traffic' );
		$this->assertSame( '', $rows[ OrderSweep::CRON_HOOK ]['warning'] );
		$this->assertNotSame( '', $rows[ OrderSweep::CRON_HOOK ]['next_run'] );
	}

	/**
	 * @testdox the master data sync is a ScheduledJob: scheduled on activation, interval from Settings (15–10080 min), enqueues products.sync, reported, removed on deactivation
	 */
	public function test_products_job(): void {
		do_action( 'activate_' . self::BASENAME );
		$this->assertSame( Schedules::PRODUCTS_HOOK, wp_get_schedule( Schedules::PRODUCTS_HOOK ) );
		$this->assertSame( 86400, wp_get_schedules()[ Schedules::PRODUCTS_HOOK ]['interval'], 'daily by default' );

		$store = new SettingsStore( $this->options );
		$base  = array(
			'erp_url'      => 'https://erp.example/api/index.php',
			'warehouse_id' => 1,
		);
		try {
			$store->save( $base + array( 'products_sync_minutes' => 10 ) );
			$this->fail( 'an interval under 15 minutes is refused' );
		} catch ( InvalidRequest $e ) {
			$this->assertArrayHasKey( 'products_sync_minutes', $e->errors );
		}
		$this->assertSame( 120, $store->save( $base + array( 'products_sync_minutes' => '120' ) )['products_sync_minutes'] );
		$this->assertSame( 7200, wp_get_schedules()[ Schedules::PRODUCTS_HOOK ]['interval'] );
		$this->assertEqualsWithDelta( time() + 7200, (int) wp_next_scheduled( Schedules::PRODUCTS_HOOK ), 5, 'rescheduled to the new interval' );

		do_action( Schedules::PRODUCTS_HOOK ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.DynamicHooknameFound -- syncline_products_sync.
		$table = $this->db->table( OutboxSchema::EVENTS );
		$this->assertSame( 1, (int) $this->db->value( "SELECT COUNT(*) FROM {$table} WHERE topic = %s AND state = 'pending'", array( 'products.sync' ) ) );
		$this->assertSame( 'ok', ( new RunLog( $this->options ) )->all()[ Schedules::PRODUCTS_HOOK ]['outcome'] ?? null );

		// A report built before the products module adds its job still lists it (Plugin builds the report first).
		$runs      = new RunLog( $this->options );
		$schedules = new Schedules( new OutboxWriter( $this->db, $this->options, $this->clock ), $this->options, $runs );
		$report    = ScheduleReport::of( $runs, $schedules );
		ProductsModule::services( WP_PLUGIN_DIR . '/' . self::BASENAME, $this->db, $this->options, $this->clock, new SkuMap( $this->db, $this->clock ), new Mappings( $this->db, $this->clock ), $schedules );
		$rows = array_column( $report->rows( time() ), null, 'hook' );
		$this->assertArrayHasKey( Schedules::PRODUCTS_HOOK, $rows );
		$this->assertSame( 7200, $rows[ Schedules::PRODUCTS_HOOK ]['interval_s'] );
		$this->assertSame( 'ok', $rows[ Schedules::PRODUCTS_HOOK ]['outcome'] );

		do_action( 'deactivate_' . self::BASENAME );
		$this->assertFalse( wp_next_scheduled( Schedules::PRODUCTS_HOOK ) );
	}
}

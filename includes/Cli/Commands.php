<?php
/**
 * Registers `wp syncline …`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Hooks\MissedOrders;
use Syncline\Hooks\OrderHooks;
use Syncline\Hooks\OrderIds;
use Syncline\Hooks\OrderSweep;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Infrastructure\Options;
use Syncline\Hooks\RunLog;
use Syncline\Hooks\ScheduleReport;
use Syncline\Hooks\Schedules;
use Syncline\Reconcile\ReconcileModule;
use Syncline\Outbox\EventLog;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxQueries;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Woo\OrderSource;

/**
 * Thin adapters over the same services the REST routes use (registered only under WP-CLI).
 */
class Commands implements \Syncline\Infrastructure\Registerable {

	/**
	 * Builds the registrar.
	 *
	 * @param string               $plugin_file Absolute path of plugin.php.
	 * @param Db                   $db          Database.
	 * @param Options              $options     Options.
	 * @param OutboxQueries        $queries     Outbox reads and manual actions.
	 * @param SkuMap               $sku_map     SKU map.
	 * @param Heartbeats           $heartbeats  Sidecar heartbeats.
	 * @param OrderSource          $orders      The WooCommerce seam.
	 * @param RunLog|null          $runs        WP-Cron run records.
	 * @param Schedules|null       $schedules WP-Cron jobs.
	 * @param ReconcileModule|null $reconcile Reconciliation.
	 */
	public function __construct(
		private string $plugin_file,
		private Db $db,
		private Options $options,
		private OutboxQueries $queries,
		private SkuMap $sku_map,
		private Heartbeats $heartbeats,
		private OrderSource $orders,
		private ?RunLog $runs = null,
		private ?Schedules $schedules = null,
		private ?ReconcileModule $reconcile = null
	) {
	}

	/**
	 * Adds the commands.
	 */
	public function register(): void {
		if ( ! class_exists( '\WP_CLI' ) ) {
			return;
		}
		$events  = new EventsCommand( $this->queries );
		$sidecar = new SidecarCommand( $this->plugin_file, $this->options );
		$report  = ScheduleReport::of( $this->runs ?? new RunLog( $this->options ), $this->schedules );
		\WP_CLI::add_command( 'syncline status', new StatusCommand( $this->queries, $this->heartbeats, $this->orders, $report ) );
		\WP_CLI::add_command( 'syncline events', array( $events, 'events' ) );
		\WP_CLI::add_command( 'syncline exceptions', array( $events, 'exceptions' ) );
		\WP_CLI::add_command( 'syncline retry', array( $events, 'retry' ) );
		\WP_CLI::add_command( 'syncline discard', array( $events, 'discard' ) );
		\WP_CLI::add_command( 'syncline map', new MapCommand( $this->sku_map ) );
		\WP_CLI::add_command( 'syncline mappings', new MappingsCommand( $this->sku_map, new Mappings( $this->db, new Clock(), new EventLog( $this->db, new Clock() ) ) ) );
		\WP_CLI::add_command( 'syncline sidecar', $sidecar );
		$writer = new OutboxWriter( $this->db, $this->options, new Clock() );
		$missed = new MissedOrders( $this->options );
		$orders = new OrderIds();
		\WP_CLI::add_command( 'syncline bench', new BenchCommand( $this->db, new OrderHooks( $writer, $missed ) ) );
		\WP_CLI::add_command( 'syncline resync', new ResyncCommand( $this->db, $writer, $orders ) );
		\WP_CLI::add_command( 'syncline sweep', new SweepCommand( new OrderSweep( $this->db, $writer, $orders, $missed, $this->runs ) ) );
		\WP_CLI::add_command( 'syncline schedules', new SchedulesCommand( $report ) );
		if ( null !== $this->reconcile ) {
			\WP_CLI::add_command( 'syncline reconcile', new ReconcileCommand( $this->reconcile->store, $this->reconcile->repair, $this->heartbeats ) );
		}
	}
}

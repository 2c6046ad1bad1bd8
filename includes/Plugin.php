<?php
/**
 * Composition root.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline;

use Syncline\Admin\AdminModule;
use Syncline\Cli\Commands;
use Syncline\Hooks\MissedOrders;
use Syncline\Hooks\OrderHooks;
use Syncline\Hooks\OrderIds;
use Syncline\Hooks\OrderSweep;
use Syncline\Hooks\RunLog;
use Syncline\Hooks\Schedules;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\Acks;
use Syncline\Outbox\EventLog;
use Syncline\Outbox\Leases;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxQueries;
use Syncline\Outbox\OutboxRepository;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Reconcile\ReconcileModule;
use Syncline\Rest\SidecarController;
use Syncline\Rest\SignatureVerifier;
use Syncline\Shipments\ShipmentsModule;
use Syncline\Stock\StockModule;
use Syncline\Products\ProductsModule;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * Builds the object graph once and registers the services that hook into WordPress. The only place that
 * knows concrete classes; everything below receives its collaborators through its constructor.
 */
final class Plugin {

	/**
	 * Whether boot() already ran in this request.
	 *
	 * @var bool
	 */
	private static bool $booted = false;

	/**
	 * Builds the plugin.
	 *
	 * @param string               $file     Absolute path of plugin.php.
	 * @param OutboxSchema         $schema   Schema (activation).
	 * @param Options              $options  Options (activation).
	 * @param Registerable[]       $services Services to register.
	 * @param Schedules            $schedules WP-Cron jobs (activation).
	 * @param ReconcileModule|null $reconcile Reconciliation (its tables on activation).
	 */
	private function __construct( private string $file, private OutboxSchema $schema, private Options $options, private array $services, private Schedules $schedules, private ?ReconcileModule $reconcile = null ) {
	}

	/**
	 * Entry point, called once by plugin.php.
	 *
	 * @param string $file Absolute path of plugin.php.
	 */
	public static function boot( string $file ): void {
		if ( self::$booted ) {
			return;
		}
		self::$booted = true;
		global $wpdb;
		$plugin = self::build( $file, new Db( $wpdb ), new Options(), new Clock() );
		$plugin->register();
	}

	/**
	 * Builds the graph.
	 *
	 * @param string  $file    Absolute path of plugin.php.
	 * @param Db      $db      Database proxy.
	 * @param Options $options Options proxy.
	 * @param Clock   $clock   Time.
	 */
	private static function build( string $file, Db $db, Options $options, Clock $clock ): self {
		$schema     = new OutboxSchema( $db, $options );
		$log        = new EventLog( $db, $clock );
		$repository = new OutboxRepository( $db, $clock, $log );
		$queries    = new OutboxQueries( $db, $clock, $log );
		$sku_map    = new SkuMap( $db, $clock, $log );
		$mappings   = new Mappings( $db, $clock, $log );
		$orders     = new WooCommerceOrderSource();
		$heartbeats = new Heartbeats( $options, $clock );
		$stock      = new StockModule( $db, $options, $clock );
		$writer     = new OutboxWriter( $db, $options, $clock );
		$missed     = new MissedOrders( $options );
		$runs       = new RunLog( $options );
		$reconcile  = new ReconcileModule( $db, $options, $clock );
		$schedules  = new Schedules( $writer, $options, $runs, $reconcile->job() );
		$services   = array(
			$schema,
			new OrderHooks( $writer, $missed ),
			new OrderSweep( $db, $writer, new OrderIds(), $missed, $runs ),
			$schedules,
			$stock->hooks(),
			$stock->controller(),
			new SidecarController(
				new SignatureVerifier( $db, $options, $clock ),
				new Leases( $repository, $orders, $sku_map, $clock, $mappings ),
				new Acks( $repository, $queries, $orders, $log, $stock->acks() ),
				$heartbeats,
				$clock
			),
			new \Syncline\Rest\ConnectionController( new SignatureVerifier( $db, $options, $clock ), new \Syncline\Admin\Data\SettingsStore( $options ) ),
			$reconcile->schema,
			$reconcile->controller(),
			new \Syncline\Hooks\SchedulesController( \Syncline\Hooks\ScheduleReport::of( $runs, $schedules ) ),
			new ShipmentsModule( $db, $options, $clock, $sku_map, $mappings ),
		);
		$services   = array_merge( $services, ProductsModule::services( $file, $db, $options, $clock, $sku_map, $mappings, $schedules ) );
		if ( class_exists( AdminModule::class ) ) {
			$services = array_merge( $services, AdminModule::services( $file, $db, $options, $clock, $queries, $sku_map, $log, $orders, $mappings ) );
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			$services[] = new Commands( $file, $db, $options, $queries, $sku_map, $heartbeats, $orders, $runs, $schedules, $reconcile );
		}
		return new self( $file, $schema, $options, $services, $schedules, $reconcile );
	}

	/**
	 * Registers activation, deactivation and every service's hooks.
	 */
	private function register(): void {
		register_activation_hook( $this->file, fn () => $this->activate() );
		register_deactivation_hook( $this->file, array( Schedules::class, 'unschedule' ) );
		foreach ( $this->services as $service ) {
			$service->register();
		}
	}

	/**
	 * Activation: tables, the site secret, the hourly sweep for orders without an outbox event.
	 */
	private function activate(): void {
		$this->schema->maybe_upgrade( true );
		$this->options->secret();
		$this->reconcile?->schema->maybe_upgrade();
		$this->schedules->schedule();
	}

}

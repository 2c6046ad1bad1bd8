<?php
/**
 * Builds the admin screen's services from the root's shared collaborators.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin;

use Syncline\Admin\Data\ConnectionTest;
use Syncline\Admin\Data\EventDetailsQuery;
use Syncline\Admin\Data\MappingHistory;
use Syncline\Admin\Data\ExceptionQuery;
use Syncline\Admin\Data\OrderLookup;
use Syncline\Admin\Data\OverviewQuery;
use Syncline\Admin\Data\SettingsStore;
use Syncline\Hooks\MissedOrders;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\EventLog;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxQueries;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Rest\Admin\ConnectionTestController;
use Syncline\Rest\Admin\EventDetailsController;
use Syncline\Rest\Admin\EventsController;
use Syncline\Rest\Admin\ExceptionsController;
use Syncline\Rest\Admin\MappingsController;
use Syncline\Rest\Admin\OverviewController;
use Syncline\Rest\Admin\SettingsController;
use Syncline\Rest\Admin\SkuMappingsController;
use Syncline\Rest\Admin\SkuTransferController;
use Syncline\Woo\OrderSource;
use Syncline\Woo\WooCommerceOrderSource;

/**
 * A plain factory for Plugin::boot(): no state, no globals; returns the Registerable services.
 */
final class AdminModule {

	/**
	 * The admin page, the order meta box and the admin REST routes.
	 *
	 * @param string        $plugin_file Absolute path of plugin.php.
	 * @param Db            $db          Database proxy.
	 * @param Options       $options     Options proxy.
	 * @param Clock         $clock       Time.
	 * @param OutboxQueries $outbox      The core's queue operations.
	 * @param SkuMap        $sku_map     The core's SKU map.
	 * @param EventLog      $event_log   The core's event log.
	 * @param OrderSource   $orders      The WooCommerce seam (defaults to WooCommerceOrderSource).
	 * @param Mappings|null $mappings    The core's other mappings (defaults to a new one over the same log).
	 * @return array<int, \Syncline\Infrastructure\Registerable>
	 */
	public static function services( string $plugin_file, Db $db, Options $options, Clock $clock, OutboxQueries $outbox, SkuMap $sku_map, EventLog $event_log, ?OrderSource $orders = null, ?Mappings $mappings = null ): array {
		$exceptions = new ExceptionQuery( $db );
		$lookup     = new OrderLookup( $orders ?? new WooCommerceOrderSource(), $options );
		$history    = new MappingHistory( $db );
		return array(
			new AdminPage( $plugin_file ),
			new Notices( $options, new MissedOrders( $options ) ),
			new OrderMetaBox( $db, $lookup ),
			// The admin REST routes: syncline/v1/admin/* (every controller in includes/Rest/Admin/).
			new EventsController( $outbox ),
			new SkuMappingsController( $sku_map ),
			new OverviewController( new OverviewQuery( $db, $exceptions ), $options, $clock ),
			new ExceptionsController( $exceptions, $outbox, $clock ),
			new EventDetailsController( new EventDetailsQuery( $db ), $lookup, $clock ),
			new SkuTransferController( $sku_map, $history, $clock ),
			new MappingsController( $mappings ?? new Mappings( $db, $clock, $event_log ), $history ),
			new SettingsController( new SettingsStore( $options ) ),
			new ConnectionTestController( new ConnectionTest( $db, new OutboxWriter( $db, $options, $clock ), new Heartbeats( $options, $clock ), $clock ) ),
		);
	}
}

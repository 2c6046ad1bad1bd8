<?php
/**
 * Wiring of master data sync and pushed ERP changes.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Cli\ProductsCommand;
use Syncline\Hooks\Schedules;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\EventLog;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Rest\SignatureVerifier;
use Syncline\Stock\StoreProducts;
use Syncline\Webhooks\WebhookAdminController;
use Syncline\Webhooks\WebhookController;
use Syncline\Webhooks\WebhookEvents;
use Syncline\Webhooks\WebhookTarget;

/**
 * Builds the services for the composition root (Plugin::build adds them with one line).
 */
final class ProductsModule {

	/**
	 * The services.
	 *
	 * @param string         $file     Absolute path of plugin.php.
	 * @param Db             $db       Database.
	 * @param Options        $options  Options.
	 * @param Clock          $clock    Time.
	 * @param SkuMap         $sku_map  SKU map.
	 * @param Mappings       $mappings  Operator mappings.
	 * @param Schedules|null $schedules WP-Cron jobs: the master data job is added to them (before they register).
	 * @return array<int, Registerable>
	 */
	public static function services( string $file, Db $db, Options $options, Clock $clock, SkuMap $sku_map, Mappings $mappings, ?Schedules $schedules = null ): array {
		$writer   = new OutboxWriter( $db, $options, $clock );
		$settings = new ProductsSettings( $options );
		$context  = new ProductsContext( $db, $options, $mappings, $settings );
		$requests = new SyncRequests( $options, $writer, $sku_map );
		$applier  = new ProductsApplier( $db, new StoreProducts( $db ), new ProductExceptions( $db, $writer, $clock, new EventLog( $db, $clock ) ), $context, $settings, $requests );
		$target   = new WebhookTarget( $options );
		$events   = new WebhookEvents( $db, $writer, $clock );
		$services = array(
			new ProductsController( new SignatureVerifier( $db, $options, $clock ), $context, $applier, $requests ),
			new WebhookController( $target, $events ),
			new WebhookAdminController( $target, $events ),
		);
		$schedules?->add(
			Schedules::products_job(
				static function () use ( $requests ): string {
					$requests->queue( array(), false );
					return 'products.sync queued';
				}
			)
		);
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			$services[] = new ProductsCommand( $requests, $db, $target, $options );
		}
		return $services;
	}
}

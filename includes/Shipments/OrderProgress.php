<?php
/**
 * An order's shipment progress from its lines, the SKU map and its ledger.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Outbox\SkuMap;

/**
 * Maps each line's SKU to its ERP reference (the SKU map, else the SKU itself) and allocates the ledger's units.
 *
 * @phpstan-import-type Progress from ShipmentProgress
 * @phpstan-import-type Record from OrderShipments
 */
class OrderProgress {

	/**
	 * Builds the reader.
	 *
	 * @param OrderShipments $orders  WooCommerce side.
	 * @param SkuMap         $sku_map SKU → ERP reference.
	 */
	public function __construct( private OrderShipments $orders, private SkuMap $sku_map ) {
	}

	/**
	 * The progress of an order with a ledger.
	 *
	 * @param \WC_Order             $order  Order.
	 * @param array<string, Record> $ledger Its applied shipments.
	 * @return Progress
	 */
	public function of( \WC_Order $order, array $ledger ): array {
		$lines = $this->orders->lines( $order );
		$map   = $this->sku_map->for_skus( array_column( $lines, 'sku' ) );
		foreach ( $lines as $i => $line ) {
			$lines[ $i ]['erp_ref'] = $map[ $line['sku'] ] ?? $line['sku'];
		}
		return ShipmentProgress::of( $lines, array_map( static fn ( array $r ): array => $r['lines'], array_values( $ledger ) ) );
	}
}

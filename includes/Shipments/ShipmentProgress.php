<?php
/**
 * What of an order has shipped and what is still to ship (pure, no WordPress).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

/**
 * Allocates the units of every applied shipment (by ERP product reference) to the order's lines with that
 * reference, in line order. A line is still to ship while its allocated units are fewer than its quantity; the
 * order is fully shipped when no line is. Units of references the order does not have are reported as unmatched.
 *
 * @phpstan-type Line array{item_id: int, name: string, sku: string, erp_ref: string, qty: int}
 * @phpstan-type Progress array{lines: array<int, array{item_id: int, name: string, sku: string, erp_ref: string, qty: int, shipped: int, remaining: int}>, shipped_units: int, remaining_units: int, complete: bool, unmatched: array<string, int>}
 */
final class ShipmentProgress {

	/**
	 * The progress of an order.
	 *
	 * @param array<int, Line>               $lines   The order's product lines (quantity net of refunds).
	 * @param array<int, array<string, int>> $shipped Lines of every applied shipment (ERP ref => units).
	 * @return Progress
	 */
	public static function of( array $lines, array $shipped ): array {
		$pool = array();
		foreach ( $shipped as $shipment ) {
			foreach ( $shipment as $ref => $qty ) {
				$pool[ (string) $ref ] = ( $pool[ (string) $ref ] ?? 0 ) + $qty;
			}
		}
		$out       = array();
		$remaining = 0;
		$total     = 0;
		foreach ( $lines as $line ) {
			$qty                      = max( 0, $line['qty'] );
			$take                     = min( $qty, $pool[ $line['erp_ref'] ] ?? 0 );
			$pool[ $line['erp_ref'] ] = ( $pool[ $line['erp_ref'] ] ?? 0 ) - $take;
			$out[]                    = array(
				'item_id'   => $line['item_id'],
				'name'      => $line['name'],
				'sku'       => $line['sku'],
				'erp_ref'   => $line['erp_ref'],
				'qty'       => $qty,
				'shipped'   => $take,
				'remaining' => $qty - $take,
			);
			$remaining               += $qty - $take;
			$total                   += $take;
		}
		return array(
			'lines'           => $out,
			'shipped_units'   => $total,
			'remaining_units' => $remaining,
			'complete'        => 0 === $remaining && $total > 0,
			'unmatched'       => array_filter( $pool, static fn ( int $n ): bool => $n > 0 ),
		);
	}
}

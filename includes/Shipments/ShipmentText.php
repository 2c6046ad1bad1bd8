<?php
/**
 * The words of the shipments flow (order notes), translatable.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

/**
 * Plain-text notes: WooCommerce escapes notes when it shows them and turns URLs into links in e-mails.
 *
 * @phpstan-import-type Progress from ShipmentProgress
 * @phpstan-import-type Record from OrderShipments
 */
final class ShipmentText {

	/**
	 * The customer's note for a new shipment.
	 *
	 * @param array<string, mixed> $record   The shipment.
	 * @phpstan-param Record $record
	 * @param array<string, mixed> $progress The order's progress with it.
	 * @phpstan-param Progress $progress
	 */
	public static function shipped( array $record, array $progress ): string {
		$names = array();
		foreach ( $progress['lines'] as $line ) {
			$names[ $line['erp_ref'] ] ??= $line['name'];
		}
		$items = array();
		foreach ( $record['lines'] as $ref => $qty ) {
			$items[] = sprintf( '%d × %s', $qty, $names[ (string) $ref ] ?? (string) $ref );
		}
		$head = $progress['complete']
			/* translators: 1: shipment reference, 2: list of items */
			? __( 'Your order has shipped (shipment %1$s): %2$s.', 'syncline' )
			/* translators: 1: shipment reference, 2: list of items */
			: __( 'Part of your order has shipped (shipment %1$s): %2$s.', 'syncline' );
		$text = sprintf( $head, $record['ref'], implode( ', ', $items ) );
		if ( null !== $record['tracking_number'] || null !== $record['carrier'] ) {
			$text .= ' ' . self::tracking( $record ) . '.';
		}
		if ( ! $progress['complete'] ) {
			/* translators: %s: list of items */
			$text .= ' ' . sprintf( __( 'Still to ship: %s.', 'syncline' ), self::remaining( $progress ) );
		}
		return $text;
	}

	/**
	 * Carrier, tracking number and link.
	 *
	 * @param array<string, mixed> $record The shipment.
	 * @phpstan-param Record $record
	 */
	public static function tracking( array $record ): string {
		$parts = array();
		if ( null !== $record['carrier'] ) {
			/* translators: %s: carrier name */
			$parts[] = sprintf( __( 'Carrier: %s', 'syncline' ), $record['carrier'] );
		}
		if ( null !== $record['tracking_number'] ) {
			/* translators: %s: tracking number */
			$parts[] = sprintf( __( 'tracking number %s', 'syncline' ), $record['tracking_number'] );
		}
		if ( null !== $record['tracking_url'] ) {
			$parts[] = $record['tracking_url'];
		}
		return implode( ', ', $parts );
	}

	/**
	 * The staff's note: what is still to ship (backordered lines).
	 *
	 * @param array<string, mixed> $progress Progress.
	 * @phpstan-param Progress $progress
	 */
	public static function still_to_ship( array $progress ): string {
		/* translators: %s: list of items still to ship */
		return sprintf( __( 'Partially shipped. Backordered, still to ship: %s.', 'syncline' ), self::remaining( $progress ) );
	}

	/**
	 * The staff's note when a shipment holds products the order does not have.
	 *
	 * @param string             $ref       Shipment reference.
	 * @param array<string, int> $unmatched ERP reference => units.
	 */
	public static function unmatched( string $ref, array $unmatched ): string {
		$items = array();
		foreach ( $unmatched as $erp_ref => $qty ) {
			$items[] = sprintf( '%d × %s', $qty, (string) $erp_ref );
		}
		/* translators: 1: shipment reference, 2: list of ERP product references */
		return sprintf( __( 'ERP shipment %1$s holds units this order has no line for (check the SKU map): %2$s.', 'syncline' ), $ref, implode( ', ', $items ) );
	}

	/**
	 * "2 × Name, 1 × Other" of the lines still to ship.
	 *
	 * @param array<string, mixed> $progress Progress.
	 * @phpstan-param Progress $progress
	 */
	public static function remaining( array $progress ): string {
		$items = array();
		foreach ( $progress['lines'] as $line ) {
			if ( $line['remaining'] > 0 ) {
				$items[] = sprintf( '%d × %s', $line['remaining'], $line['name'] );
			}
		}
		return implode( ', ', $items );
	}
}

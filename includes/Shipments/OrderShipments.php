<?php
/**
 * The WooCommerce side of shipments: every call into WooCommerce the shipments flow makes (HPOS-safe: orders are
 * read and written through WC_Order, never through post meta).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

/**
 * Reads an order's lines, keeps its shipments ledger (order meta `_syncline_shipments`), adds notes, moves status.
 *
 * @phpstan-type Record array{ref: string, state: string, carrier: ?string, tracking_number: ?string, tracking_url: ?string, shipped_at: ?int, lines: array<string, int>, applied_at: int}
 */
class OrderShipments {

	public const META = '_syncline_shipments';

	/**
	 * The order, or null when WooCommerce has none with this id.
	 *
	 * @param int $id Order id.
	 */
	public function find( int $id ): ?\WC_Order {
		if ( ! function_exists( 'wc_get_order' ) ) {
			return null;
		}
		$order = wc_get_order( $id );
		return $order instanceof \WC_Order ? $order : null;
	}

	/**
	 * The order's status without `wc-`.
	 *
	 * @param \WC_Order $order Order.
	 */
	public function status( \WC_Order $order ): string {
		return (string) $order->get_status();
	}

	/**
	 * Registered order statuses, bare.
	 *
	 * @return array<int, string>
	 */
	public function statuses(): array {
		return array_map( static fn ( $k ): string => str_starts_with( (string) $k, 'wc-' ) ? substr( (string) $k, 3 ) : (string) $k, array_keys( wc_get_order_statuses() ) );
	}

	/**
	 * Product lines: item id, name, SKU and quantity net of refunds.
	 *
	 * @param \WC_Order $order Order.
	 * @return array<int, array{item_id: int, name: string, sku: string, qty: int}>
	 */
	public function lines( \WC_Order $order ): array {
		$out = array();
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$product = $item->get_product();
			$out[]   = array(
				'item_id' => (int) $item->get_id(),
				'name'    => (string) $item->get_name(),
				'sku'     => $product ? (string) $product->get_sku() : '',
				'qty'     => (int) $item->get_quantity() + (int) $order->get_qty_refunded_for_item( $item->get_id() ),
			);
		}
		return $out;
	}

	/**
	 * The shipments applied to the order, by key `<erp>:<shipment id>`.
	 *
	 * @param \WC_Order $order Order.
	 * @return array<string, Record>
	 */
	public function ledger( \WC_Order $order ): array {
		$raw = $order->get_meta( self::META, true );
		$raw = is_string( $raw ) ? json_decode( $raw, true ) : null;
		return is_array( $raw ) ? $raw : array();
	}

	/**
	 * Stores the ledger, adds the notes and moves the status in one save.
	 *
	 * @param \WC_Order             $order         Order.
	 * @param array<string, Record> $ledger        Ledger.
	 * @param array<int, string>    $customer      Notes to the customer.
	 * @param array<int, string>    $private_notes Notes for the shop's staff.
	 * @param string|null           $status        New status (bare) or null.
	 */
	public function save( \WC_Order $order, array $ledger, array $customer, array $private_notes, ?string $status ): void {
		$order->update_meta_data( self::META, (string) wp_json_encode( $ledger ) );
		if ( null !== $status ) {
			$order->set_status( $status, __( 'Shipments from the ERP:', 'syncline' ) . ' ' );
		}
		$order->save();
		foreach ( $customer as $note ) {
			$order->add_order_note( $note, 1 );
		}
		foreach ( $private_notes as $note ) {
			$order->add_order_note( $note, 0 );
		}
	}
}

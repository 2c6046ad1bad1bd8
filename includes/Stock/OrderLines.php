<?php
/**
 * The WooCommerce seam of stock sync: which SKUs and quantities an order's stock reduction took.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

/**
 * Reads the lines of the order object WooCommerce passes to woocommerce_reduce_order_stock. No queries of its
 * own beyond what the order already holds (WooCommerce loaded the items and products to reduce them).
 */
class OrderLines {

	/**
	 * Quantity reduced per SKU.
	 *
	 * @param mixed $order The order (WC_Order).
	 * @return array<string, int>
	 */
	public function reduced( $order ): array {
		if ( ! is_object( $order ) ) {
			return array();
		}
		if ( method_exists( $order, 'get_items' ) ) {
			return $this->from_items( $order->get_items() );
		}
		if ( method_exists( $order, 'get_data' ) ) {
			return $this->from_data( (array) $order->get_data() );
		}
		return array();
	}

	/**
	 * WooCommerce order items: `_reduced_stock` meta holds what was taken. Lines that took nothing are skipped
	 * before their SKU is looked up.
	 *
	 * @param mixed $items Items (WC_Order_Item_Product[]).
	 * @return array<string, int>
	 */
	private function from_items( $items ): array {
		if ( ! is_iterable( $items ) ) {
			return array();
		}
		$out = array();
		foreach ( $items as $item ) {
			if ( ! is_object( $item ) || ! method_exists( $item, 'get_meta' ) ) {
				continue;
			}
			$qty = (int) $item->get_meta( '_reduced_stock', true );
			if ( $qty > 0 ) {
				$this->add( $out, $this->sku_of( $item ), $qty );
			}
		}
		return $out;
	}

	/**
	 * The SKU of an item's product, read from the product's `_sku` meta (WooCommerce has just primed that cache
	 * while reducing the stock, so no query) instead of building the product object, which costs a few hundred µs
	 * per line on the checkout path. A variation without a SKU of its own has its parent's, as in WooCommerce.
	 * Falls back to the product object when the item does not name its product ids or the meta is empty.
	 *
	 * @param object $item Order item.
	 */
	private function sku_of( object $item ): string {
		if ( method_exists( $item, 'get_product_id' ) && method_exists( $item, 'get_variation_id' ) ) {
			$parent    = (int) $item->get_product_id();
			$variation = (int) $item->get_variation_id();
			$sku       = $variation > 0 ? (string) get_post_meta( $variation, '_sku', true ) : '';
			if ( '' === $sku && $parent > 0 ) {
				$sku = (string) get_post_meta( $parent, '_sku', true );
			}
			if ( '' !== $sku ) {
				return $sku;
			}
		}
		$product = method_exists( $item, 'get_product' ) ? $item->get_product() : null;
		return is_object( $product ) && method_exists( $product, 'get_sku' ) ? (string) $product->get_sku() : '';
	}

	/**
	 * The stand-in's wc/v3-shaped data: line meta `_reduced_stock`.
	 *
	 * @param array<mixed> $data Order data.
	 * @return array<string, int>
	 */
	private function from_data( array $data ): array {
		$out = array();
		foreach ( (array) ( $data['line_items'] ?? array() ) as $line ) {
			$qty = 0;
			foreach ( (array) ( $line['meta_data'] ?? array() ) as $meta ) {
				if ( '_reduced_stock' === ( $meta['key'] ?? '' ) ) {
					$qty = (int) $meta['value'];
				}
			}
			$this->add( $out, (string) ( $line['sku'] ?? '' ), $qty );
		}
		return $out;
	}

	/**
	 * Adds a line (lines of one SKU are summed).
	 *
	 * @param array<string, int> $out Totals.
	 * @param string             $sku SKU.
	 * @param int                $qty Quantity.
	 */
	private function add( array &$out, string $sku, int $qty ): void {
		if ( '' === $sku || $qty <= 0 ) {
			return;
		}
		$out[ $sku ] = ( $out[ $sku ] ?? 0 ) + $qty;
	}
}

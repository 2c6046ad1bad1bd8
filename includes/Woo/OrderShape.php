<?php
/**
 * The lease's order: the wc/v3 fields the sidecar reads, built from WooCommerce's order getters.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Woo;

/**
 * Builds, from a WC_Order and its refunds, exactly the wc/v3 order fields the sidecar's mapping reads
 * (src/engine/mapping/wc-order.ts; the list is src/wp/order-fields.json), each with the value and type the wc/v3
 * orders controller gives it: the raw ('edit') props it starts from, decimals through wc_format_decimal() with the
 * store's price decimals, dates as its 'Y-m-d\TH:i:s' local and GMT strings. No REST controller, no item meta
 * formatting, images, links or payment URL: those cost most of a payload and nothing reads them.
 * HPOS-safe: only the order object's getters. Proven equal to the controller's fields by
 * tests/php/Integration/Woo/OrderShapeTest.php (HPOS on and off).
 */
final class OrderShape {

	private const ADDRESS_KEYS = array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country' );

	/**
	 * SKU by product (or variation) id, for the orders of one lease: loading the product is most of a line's cost,
	 * and the orders of a batch share their products.
	 *
	 * @var array<int, string|null>
	 */
	private array $skus = array();

	/**
	 * Builds the shape builder.
	 *
	 * @param int $dp Decimals of formatted amounts (the store's price decimals, as the controller's default `dp`).
	 */
	public function __construct( private int $dp ) {
	}

	/**
	 * The order's fields in the wc/v3 shape.
	 *
	 * @param \WC_Order                    $order   The order.
	 * @param array<int, \WC_Order_Refund> $refunds Its refunds (WC_Order::get_refunds()).
	 * @return array<string, mixed>
	 */
	public function order( \WC_Order $order, array $refunds ): array {
		$base = $order->get_base_data();
		return array(
			'id'                   => $order->get_id(),
			'number'               => $base['number'],
			'status'               => self::status( (string) $base['status'] ),
			'currency'             => $base['currency'],
			'prices_include_tax'   => $base['prices_include_tax'],
			'date_created'         => self::date( $base['date_created'], false ),
			'date_created_gmt'     => self::date( $base['date_created'], true ),
			'date_paid_gmt'        => self::date( $base['date_paid'], true ),
			'payment_method'       => $base['payment_method'],
			'payment_method_title' => $base['payment_method_title'],
			'customer_id'          => $base['customer_id'],
			'customer_note'        => $base['customer_note'],
			'billing'              => self::address( (array) $base['billing'], true ),
			'shipping'             => self::address( (array) $base['shipping'], false ),
			'line_items'           => $this->items( $order, 'line_item' ),
			'shipping_lines'       => $this->items( $order, 'shipping' ),
			'fee_lines'            => $this->items( $order, 'fee' ),
			'coupon_lines'         => $this->items( $order, 'coupon' ),
			'tax_lines'            => $this->items( $order, 'tax' ),
			'discount_total'       => $this->money( $base['discount_total'] ),
			'discount_tax'         => $this->money( $base['discount_tax'] ),
			'shipping_total'       => $this->money( $base['shipping_total'] ),
			'shipping_tax'         => $this->money( $base['shipping_tax'] ),
			'total_tax'            => $this->money( $base['total_tax'] ),
			'total'                => $this->money( $base['total'] ),
			'transaction_id'       => $base['transaction_id'],
			'refunds'              => $this->refund_summaries( $refunds ),
		);
	}

	/**
	 * The items of one type, in the order WooCommerce keeps them.
	 *
	 * @param \WC_Order $order The order.
	 * @param string    $type  line_item, shipping, fee, coupon or tax.
	 * @return array<int, array<string, mixed>>
	 */
	private function items( \WC_Order $order, string $type ): array {
		$out = array();
		foreach ( $order->get_items( $type ) as $item ) {
			$row = $this->item( $item );
			if ( null !== $row ) {
				$out[] = $row;
			}
		}
		return $out;
	}

	/**
	 * One item's fields (null for an item class WooCommerce did not make).
	 *
	 * @param \WC_Order_Item $item The item.
	 * @return array<string, mixed>|null
	 */
	private function item( \WC_Order_Item $item ): ?array {
		if ( $item instanceof \WC_Order_Item_Product ) {
			return array(
				'id'           => $item->get_id(),
				'name'         => $item->get_name( 'edit' ),
				'product_id'   => $item->get_product_id( 'edit' ),
				'variation_id' => $item->get_variation_id( 'edit' ),
				'quantity'     => $item->get_quantity( 'edit' ),
				'subtotal'     => $this->money( $item->get_subtotal( 'edit' ) ),
				'subtotal_tax' => $this->money( $item->get_subtotal_tax( 'edit' ) ),
				'total'        => $this->money( $item->get_total( 'edit' ) ),
				'total_tax'    => $this->money( $item->get_total_tax( 'edit' ) ),
				'taxes'        => $this->taxes( $item->get_taxes( 'edit' ) ),
				'sku'          => $this->sku( $item ),
			);
		}
		if ( $item instanceof \WC_Order_Item_Shipping ) {
			return array(
				'id'           => $item->get_id(),
				'method_title' => $item->get_method_title( 'edit' ),
				'method_id'    => $item->get_method_id( 'edit' ),
				'total'        => $this->money( $item->get_total( 'edit' ) ),
				'total_tax'    => $this->money( $item->get_total_tax( 'edit' ) ),
				'taxes'        => $this->taxes( $item->get_taxes( 'edit' ) ),
			);
		}
		if ( $item instanceof \WC_Order_Item_Fee ) {
			return array(
				'id'        => $item->get_id(),
				'name'      => $item->get_name( 'edit' ),
				'total'     => $this->money( $item->get_total( 'edit' ) ),
				'total_tax' => $this->money( $item->get_total_tax( 'edit' ) ),
				'taxes'     => $this->taxes( $item->get_taxes( 'edit' ) ),
			);
		}
		if ( $item instanceof \WC_Order_Item_Coupon ) {
			// The controller sends a coupon's amounts as stored (they are not in its list of decimals to format).
			return array(
				'code'         => $item->get_code( 'edit' ),
				'discount'     => $item->get_discount( 'edit' ),
				'discount_tax' => $item->get_discount_tax( 'edit' ),
			);
		}
		if ( $item instanceof \WC_Order_Item_Tax ) {
			return array(
				'rate_id'            => $item->get_rate_id( 'edit' ),
				'rate_code'          => $item->get_rate_code( 'edit' ),
				'label'              => $item->get_label( 'edit' ),
				'rate_percent'       => $item->get_rate_percent( 'edit' ),
				'tax_total'          => $this->money( $item->get_tax_total( 'edit' ) ),
				'shipping_tax_total' => $this->money( $item->get_shipping_tax_total( 'edit' ) ),
			);
		}
		return null;
	}

	/**
	 * The SKU of a line's product as the controller gives it (a variation without its own shows its parent's; null
	 * when the product is gone), read once per product.
	 *
	 * @param \WC_Order_Item_Product $item The line.
	 */
	private function sku( \WC_Order_Item_Product $item ): ?string {
		$id = (int) ( $item->get_variation_id( 'edit' ) ? $item->get_variation_id( 'edit' ) : $item->get_product_id( 'edit' ) );
		if ( $id > 0 && array_key_exists( $id, $this->skus ) ) {
			return $this->skus[ $id ];
		}
		$product = $item->get_product();
		$sku     = $product instanceof \WC_Product ? $product->get_sku() : null;
		if ( $id > 0 ) {
			$this->skus[ $id ] = $sku;
		}
		return $sku;
	}

	/**
	 * An item's taxes per rate: `[{id, total, subtotal}]` (subtotal '' where the item has none, e.g. shipping).
	 *
	 * @param mixed $taxes The item's raw taxes (`total` and `subtotal` by rate id).
	 * @return array<int, array{id: int|string, total: string, subtotal: string}>
	 */
	private function taxes( $taxes ): array {
		$out = array();
		if ( ! is_array( $taxes ) || empty( $taxes['total'] ) || ! is_array( $taxes['total'] ) ) {
			return $out;
		}
		foreach ( $taxes['total'] as $rate_id => $amount ) {
			$out[] = array(
				'id'       => $rate_id,
				'total'    => $this->money( $amount ),
				'subtotal' => isset( $taxes['subtotal'][ $rate_id ] ) ? $this->money( $taxes['subtotal'][ $rate_id ] ) : '',
			);
		}
		return $out;
	}

	/**
	 * The wc/v3 `refunds` summary: id, reason, total (negative).
	 *
	 * @param array<int, \WC_Order_Refund> $refunds The refunds.
	 * @return array<int, array{id: int, reason: string, total: string}>
	 */
	private function refund_summaries( array $refunds ): array {
		$out = array();
		foreach ( $refunds as $refund ) {
			$reason = $refund->get_reason();
			$out[]  = array(
				'id'     => $refund->get_id(),
				'reason' => $reason ? $reason : '',
				'total'  => '-' . $this->money( $refund->get_amount() ),
			);
		}
		return $out;
	}

	/**
	 * An amount as the controller formats it.
	 *
	 * @param mixed $value Raw amount.
	 */
	private function money( $value ): string {
		return (string) wc_format_decimal( $value, $this->dp );
	}

	/**
	 * An address as stored (the controller sends the raw prop): billing has an e-mail, shipping has none.
	 *
	 * @param array<string, mixed> $raw        The stored address.
	 * @param bool                 $with_email Billing.
	 * @return array<string, mixed>
	 */
	private static function address( array $raw, bool $with_email ): array {
		$out = array();
		foreach ( array_merge( self::ADDRESS_KEYS, $with_email ? array( 'email' ) : array(), array( 'phone' ) ) as $key ) {
			$out[ $key ] = $raw[ $key ] ?? '';
		}
		return $out;
	}

	/**
	 * The status without WooCommerce's `wc-` prefix.
	 *
	 * @param string $status Stored status.
	 */
	private static function status( string $status ): string {
		return str_starts_with( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	}

	/**
	 * A date as the controller sends it ('Y-m-d\TH:i:s', GMT or the site's local time), null when unset.
	 *
	 * @param mixed $date A WC_DateTime or null.
	 * @param bool  $gmt  GMT (else local).
	 */
	private static function date( $date, bool $gmt ): ?string {
		if ( ! $date instanceof \WC_DateTime ) {
			return null;
		}
		return gmdate( 'Y-m-d\TH:i:s', $gmt ? $date->getTimestamp() : $date->getOffsetTimestamp() );
	}
}

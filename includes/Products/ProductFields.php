<?php
/**
 * The owned fields of one WooCommerce product: what differs from the ERP's values, and writing them.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

/**
 * Compares in the store's own units and formats (prices as decimals, weight in `woocommerce_weight_unit`,
 * dimensions in `woocommerce_dimension_unit`), so an unchanged product is recognised and never written.
 * Variations: matched by their own SKU; their name and categories come from the parent and are never written, and
 * "draft" is WooCommerce's "private" (disabled) for them. A variable or grouped parent has no price of its own: a
 * price for it is a conflict, the other fields are still compared.
 */
final class ProductFields {

	/**
	 * The changes one item makes to a product, and the conflicts/unmapped values met.
	 *
	 * @param \WC_Product          $product Product.
	 * @param array<string, mixed> $item    Validated item.
	 * @return array{0: array<string, array{from: mixed, to: mixed}>, 1: array<int, array{ref: string, code: string, message: string}>}
	 */
	public static function diff( \WC_Product $product, array $item ): array {
		$changes   = array();
		$problems  = array();
		$variation = $product->is_type( 'variation' );
		$ref       = (string) $item['ref'];
		if ( isset( $item['name'] ) && ! $variation ) {
			self::compare( $changes, 'name', $product->get_name( 'edit' ), (string) $item['name'] );
		}
		foreach ( array( 'regular_price', 'sale_price' ) as $field ) {
			if ( ! isset( $item[ $field ] ) ) {
				continue;
			}
			if ( $product->is_type( array( 'variable', 'grouped' ) ) ) {
				$problems[] = array(
					'ref'     => $ref,
					'code'    => 'product_conflict',
					/* translators: 1: ERP reference, 2: product type. */
					'message' => sprintf( __( 'Product %1$s is a %2$s product in WooCommerce: it has no price of its own (prices live on its variations or children). Its price was not written; give each variation its own SKU in the ERP.', 'syncline' ), $ref, $product->get_type() ),
				);
				continue;
			}
			$from = 'regular_price' === $field ? $product->get_regular_price( 'edit' ) : $product->get_sale_price( 'edit' );
			self::compare_number( $changes, $field, (string) $from, (string) $item[ $field ] );
		}
		if ( isset( $item['tax_class'] ) ) {
			$from = $product->get_tax_class( 'edit' );
			if ( $variation && 'parent' === $from ) {
				$parent = wc_get_product( $product->get_parent_id() );
				$from   = $parent ? $parent->get_tax_class( 'edit' ) : $from;
			}
			self::compare( $changes, 'tax_class', (string) $from, (string) $item['tax_class'] );
		}
		if ( isset( $item['weight_g'] ) ) {
			$to = wc_get_weight( (float) $item['weight_g'], (string) get_option( 'woocommerce_weight_unit', 'kg' ), 'g' );
			self::compare_number( $changes, 'weight', (string) $product->get_weight( 'edit' ), self::decimal( $to ) );
		}
		$unit = (string) get_option( 'woocommerce_dimension_unit', 'cm' );
		foreach ( array(
			'length' => 'length_mm',
			'width'  => 'width_mm',
			'height' => 'height_mm',
		) as $field => $key ) {
			if ( isset( $item[ $key ] ) ) {
				$getter = "get_{$field}";
				self::compare_number( $changes, $field, (string) $product->$getter( 'edit' ), self::decimal( wc_get_dimension( (float) $item[ $key ], $unit, 'mm' ) ) );
			}
		}
		if ( isset( $item['status'] ) ) {
			$to = $variation && 'draft' === $item['status'] ? 'private' : (string) $item['status'];
			self::compare( $changes, 'status', $product->get_status( 'edit' ), $to );
		}
		if ( isset( $item['categories'] ) && ! $variation ) {
			$problems = array_merge( $problems, self::categories( $changes, $product, $ref, (array) $item['categories'] ) );
		}
		return array( $changes, $problems );
	}

	/**
	 * Writes the changes (the caller saves).
	 *
	 * @param \WC_Product                                  $product Product.
	 * @param array<string, array{from: mixed, to: mixed}> $changes Changes.
	 */
	public static function write( \WC_Product $product, array $changes ): void {
		foreach ( $changes as $field => $change ) {
			$setter = 'categories' === $field ? 'set_category_ids' : "set_{$field}";
			$product->$setter( $change['to'] );
		}
	}

	/**
	 * A decimal without float noise (4 decimals at most, trailing zeros trimmed).
	 *
	 * @param float $value Value.
	 */
	private static function decimal( float $value ): string {
		return wc_format_decimal( number_format( $value, 4, '.', '' ), false, true );
	}

	/**
	 * Records a change when two strings differ.
	 *
	 * @param array<string, array{from: mixed, to: mixed}> $changes Changes.
	 * @param string                                       $field   Field.
	 * @param string                                       $from    Current.
	 * @param string                                       $to      Wanted.
	 */
	private static function compare( array &$changes, string $field, string $from, string $to ): void {
		if ( $from !== $to ) {
			$changes[ $field ] = array(
				'from' => $from,
				'to'   => $to,
			);
		}
	}

	/**
	 * Records a change when two decimals differ in value (`12.5` = `12.50`; empty differs from `0`).
	 *
	 * @param array<string, array{from: mixed, to: mixed}> $changes Changes.
	 * @param string                                       $field   Field.
	 * @param string                                       $from    Current.
	 * @param string                                       $to      Wanted.
	 */
	private static function compare_number( array &$changes, string $field, string $from, string $to ): void {
		$same = '' !== $from && is_numeric( $from ) && abs( (float) $from - (float) $to ) < 0.00005;
		if ( ! $same ) {
			$changes[ $field ] = array(
				'from' => $from,
				'to'   => $to,
			);
		}
	}

	/**
	 * Category names → product_cat ids; an unknown name is an unmapped value (the categories are then left alone).
	 *
	 * @param array<string, array{from: mixed, to: mixed}> $changes Changes.
	 * @param \WC_Product                                  $product Product.
	 * @param string                                       $ref     ERP ref.
	 * @param array<int, mixed>                            $names   Category names.
	 * @return array<int, array{ref: string, code: string, message: string}>
	 */
	private static function categories( array &$changes, \WC_Product $product, string $ref, array $names ): array {
		$ids = array();
		foreach ( $names as $name ) {
			$term = get_term_by( 'name', (string) $name, 'product_cat' );
			if ( ! $term instanceof \WP_Term ) {
				return array(
					array(
						'ref'     => $ref,
						'code'    => 'unmapped_category',
						/* translators: 1: category name, 2: ERP reference. */
						'message' => sprintf( __( 'The ERP category "%1$s" of product %2$s has no WooCommerce product category of that name: create it or rename it. The categories were left as they are.', 'syncline' ), (string) $name, $ref ),
					),
				);
			}
			$ids[] = (int) $term->term_id;
		}
		$default = (int) get_option( 'default_product_cat', 0 );
		if ( array() === $ids && $default > 0 ) {
			$ids = array( $default ); // What WooCommerce saves for "no category": comparing with it keeps the product unwritten.
		}
		$from = array_map( 'intval', $product->get_category_ids( 'edit' ) );
		sort( $from );
		sort( $ids );
		if ( $from !== $ids ) {
			$changes['categories'] = array(
				'from' => $from,
				'to'   => $ids,
			);
		}
		return array();
	}
}

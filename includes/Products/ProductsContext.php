<?php
/**
 * What the sidecar needs to map ERP products: ownership, price basis, currency, tax classes, the cursor.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\Mappings;

/**
 * Tax classes: an ERP VAT rate → the WooCommerce tax class of the tax rates mapped to it (Mappings → Tax rates:
 * rate id → VAT rate); a rate not mapped there falls back to WooCommerce's own tax rates: the one class whose rates
 * carry that percentage. A VAT rate that leads to two classes is left out (the sidecar records it as unmapped).
 */
class ProductsContext {

	public const CURSOR_OPTION = 'syncline_products_cursor';

	/**
	 * Builds the context.
	 *
	 * @param Db               $db       Database.
	 * @param Options          $options  Options.
	 * @param Mappings         $mappings Operator mappings.
	 * @param ProductsSettings $settings Settings.
	 */
	public function __construct( private Db $db, private Options $options, private Mappings $mappings, private ProductsSettings $settings ) {
	}

	/**
	 * The context answer of POST /products/context.
	 *
	 * @return array<string, mixed>
	 */
	public function get(): array {
		$cursor = $this->options->get( self::CURSOR_OPTION, '' );
		return array(
			'owned'              => $this->settings->owned(),
			'prices_include_tax' => function_exists( 'wc_prices_include_tax' ) && wc_prices_include_tax(),
			'currency'           => function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : 'EUR',
			'tax_classes'        => (object) $this->tax_classes(),
			'create_missing'     => $this->settings->create_missing(),
			'cursor'             => is_string( $cursor ) && '' !== $cursor ? $cursor : null,
		);
	}

	/**
	 * Stores the changed-since position.
	 *
	 * @param string $cursor Cursor.
	 */
	public function set_cursor( string $cursor ): void {
		$this->options->set( self::CURSOR_OPTION, $cursor );
	}

	/**
	 * `"20.0000"` → `"20"`, `"5.50"` → `"5.5"`; null when not a rate.
	 *
	 * @param string $rate Rate text.
	 */
	public static function normalise( string $rate ): ?string {
		$rate = trim( str_replace( '%', '', $rate ) );
		if ( 1 !== preg_match( '/^\d{1,3}(\.\d+)?$/', $rate ) ) {
			return null;
		}
		$parts = explode( '.', $rate );
		$frac  = rtrim( substr( $parts[1] ?? '', 0, 4 ), '0' );
		return (string) (int) $parts[0] . ( '' !== $frac ? '.' . $frac : '' );
	}

	/**
	 * ERP VAT rate → tax class slug.
	 *
	 * @return array<string, string>
	 */
	public function tax_classes(): array {
		$table   = $this->db->prefix() . 'woocommerce_tax_rates';
		$classes = array();
		if ( ! $this->db->table_exists( $table ) ) {
			return array();
		}
		$rates = array();
		foreach ( $this->db->rows( "SELECT tax_rate_id, tax_rate, tax_rate_class FROM {$table}" ) as $row ) {
			$rates[ (int) $row['tax_rate_id'] ] = $row;
		}
		$mapped = array();
		foreach ( $this->mappings->get_all( 'tax_rate' ) as $m ) {
			$vat = self::normalise( $m['erp_value'] );
			$row = $rates[ (int) $m['wc_key'] ] ?? null;
			if ( null !== $vat && null !== $row ) {
				$mapped[ $vat ][ (string) $row['tax_rate_class'] ] = true;
			}
		}
		$derived = array();
		foreach ( $rates as $row ) {
			$vat = self::normalise( (string) $row['tax_rate'] );
			if ( null !== $vat ) {
				$derived[ $vat ][ (string) $row['tax_rate_class'] ] = true;
			}
		}
		foreach ( $mapped + $derived as $vat => $set ) {
			if ( 1 === count( $set ) ) {
				$classes[ (string) $vat ] = (string) array_key_first( $set );
			}
		}
		return $classes;
	}
}

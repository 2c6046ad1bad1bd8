<?php
/**
 * Master data settings: which product fields the ERP owns, creation of missing products.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Infrastructure\Options;

/**
 * Read from `syncline_settings` (keys `products_owned_fields`, `products_create_missing`; the schedule's
 * `products_sync_minutes` is a ScheduledJob of Hooks\Schedules);
 * an invalid or missing value falls back to its default, so a bad setting never widens what the ERP writes.
 */
final class ProductsSettings {

	public const FIELDS        = array( 'name', 'regular_price', 'sale_price', 'tax_class', 'weight', 'dimensions', 'status', 'categories' );
	public const DEFAULT_OWNED = array( 'name', 'regular_price', 'sale_price', 'tax_class', 'weight', 'dimensions' );
	public const OWNED_KEY     = 'products_owned_fields';
	public const CREATE_KEY    = 'products_create_missing';

	/**
	 * Builds the settings reader.
	 *
	 * @param Options $options Options.
	 */
	public function __construct( private Options $options ) {
	}

	/**
	 * The stored settings array.
	 *
	 * @return array<string, mixed>
	 */
	private function all(): array {
		$s = $this->options->get( Options::SETTINGS, array() );
		return is_array( $s ) ? $s : array();
	}

	/**
	 * The fields the ERP owns (known names only, in FIELDS order).
	 *
	 * @return array<int, string>
	 */
	public function owned(): array {
		$value = $this->all()[ self::OWNED_KEY ] ?? null;
		if ( is_string( $value ) ) {
			$value = array_map( 'trim', explode( ',', $value ) );
		}
		if ( ! is_array( $value ) ) {
			return self::DEFAULT_OWNED;
		}
		return array_values( array_intersect( self::FIELDS, $value ) );
	}

	/** Whether products the store lacks are created as drafts. */
	public function create_missing(): bool {
		$value = $this->all()[ self::CREATE_KEY ] ?? false;
		return true === $value || 'yes' === $value || 1 === $value || '1' === $value;
	}
}

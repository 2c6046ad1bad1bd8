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
		return self::owned_of( $this->all() );
	}

	/**
	 * The owned fields stored in some settings (the default when none are).
	 *
	 * @param array<string, mixed> $settings The `syncline_settings` option.
	 * @return array<int, string>
	 */
	public static function owned_of( array $settings ): array {
		$value = $settings[ self::OWNED_KEY ] ?? null;
		if ( is_string( $value ) ) {
			$value = array_map( 'trim', explode( ',', $value ) );
		}
		if ( ! is_array( $value ) ) {
			return self::DEFAULT_OWNED;
		}
		return array_values( array_intersect( self::FIELDS, $value ) );
	}

	/**
	 * Submitted owned fields in FIELDS order, or null when one is not a known field (or the value is no list).
	 *
	 * @param mixed $value Submitted `products_owned_fields`.
	 * @return array<int, string>|null
	 */
	public static function valid_owned( $value ): ?array {
		if ( ! is_array( $value ) || count( array_filter( $value, 'is_string' ) ) !== count( $value ) || array() !== array_diff( $value, self::FIELDS ) ) {
			return null;
		}
		return array_values( array_intersect( self::FIELDS, $value ) );
	}

	/** Whether products the store lacks are created as drafts. */
	public function create_missing(): bool {
		return self::create_missing_of( $this->all() );
	}

	/**
	 * Whether some settings create missing products.
	 *
	 * @param array<string, mixed> $settings The `syncline_settings` option.
	 */
	public static function create_missing_of( array $settings ): bool {
		$value = $settings[ self::CREATE_KEY ] ?? false;
		return true === $value || 'yes' === $value || 1 === $value || '1' === $value;
	}
}

<?php
/**
 * Available-to-sell rules as Settings stores them: which ERP warehouses each channel sells, safety stock, channel
 * reserve, kits. WordPress validates them; the sidecar reads them (POST /sidecar/connection) and parses them again
 * with its zod schema (src/engine/ats/rules.ts), whose shape this is.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Outbox\SkuMap;

/**
 * Pure validation and normalisation (no I/O). Stored under `ats_rules` (null: never saved, the sidecar then sells
 * its order warehouse on its channel) and `ats_channel` (the channel WooCommerce sells as) of `syncline_settings`.
 * Field errors are keyed by the Settings form's field names (ats_channel, ats_channels, ats_safety_global,
 * ats_safety_per_sku, ats_reserve, ats_kits).
 */
final class AtsSettings {

	public const RULES_KEY         = 'ats_rules';
	public const CHANNEL_KEY       = 'ats_channel';
	public const DEFAULT_CHANNEL   = 'web';
	public const CHANNEL_PATTERN   = '/^[a-z0-9][a-z0-9_-]{0,31}$/';
	public const WAREHOUSE_PATTERN = '/^[1-9][0-9]{0,17}$/';
	public const MAX_UNITS         = 1000000000;
	public const MAX_ENTRIES       = 5000;
	public const MAX_COMPONENTS    = 50;

	/**
	 * The stored rules (already valid), or null when none were saved.
	 *
	 * @param array<string, mixed> $settings The `syncline_settings` option.
	 * @return array<string, mixed>|null
	 */
	public static function rules_of( array $settings ): ?array {
		$rules = $settings[ self::RULES_KEY ] ?? null;
		return is_array( $rules ) && isset( $rules['channels'] ) ? $rules : null;
	}

	/**
	 * The channel WooCommerce sells as.
	 *
	 * @param array<string, mixed> $settings The `syncline_settings` option.
	 */
	public static function channel_of( array $settings ): string {
		$channel = $settings[ self::CHANNEL_KEY ] ?? '';
		return is_string( $channel ) && 1 === preg_match( self::CHANNEL_PATTERN, $channel ) ? $channel : self::DEFAULT_CHANNEL;
	}

	/**
	 * Rules in their JSON shape: every map an object, so `{}` stays `{}` and SKU "0" stays a key.
	 *
	 * @param array<string, mixed>|null $rules Normalised rules.
	 * @return array<string, mixed>|null
	 */
	public static function to_json( ?array $rules ): ?array {
		if ( null === $rules ) {
			return null;
		}
		$kits = array();
		foreach ( $rules['kits'] as $sku => $kit ) {
			$kits[ $sku ] = array( 'components' => (object) $kit['components'] );
		}
		return array(
			'channels'    => (object) $rules['channels'],
			'safetyStock' => array(
				'global' => $rules['safetyStock']['global'],
				'perSku' => (object) $rules['safetyStock']['perSku'],
			),
			'reserve'     => (object) $rules['reserve'],
			'kits'        => (object) $kits,
		);
	}

	/**
	 * Validates submitted rules and channel.
	 *
	 * @param mixed $rules   Submitted `ats_rules` (an object in the sidecar's shape; null clears them).
	 * @param mixed $channel Submitted `ats_channel`.
	 * @return array{0: array<string, mixed>|null, 1: string, 2: array<string, string>} Normalised rules, channel, field errors.
	 */
	public static function validate( $rules, $channel ): array {
		$errors  = array();
		$channel = is_string( $channel ) ? trim( $channel ) : '';
		if ( 1 !== preg_match( self::CHANNEL_PATTERN, $channel ) ) {
			$errors['ats_channel'] = self::channel_rule();
		}
		if ( null === $rules ) {
			return array( null, $channel, $errors );
		}
		if ( ! is_array( $rules ) ) {
			return array( null, $channel, $errors + array( 'ats_channels' => __( 'The ATS rules must be an object with channels, safety stock, reserve and kits.', 'syncline' ) ) );
		}
		$channels = self::channels( $rules['channels'] ?? null, $errors );
		if ( ! isset( $errors['ats_channel'] ) && null !== $channels && ! isset( $channels[ $channel ] ) ) {
			/* translators: %s: channel name. */
			$errors['ats_channel'] = sprintf( __( 'The store sells as channel "%s": add it to the channels below, with its warehouses.', 'syncline' ), $channel );
		}
		$safety = is_array( $rules['safetyStock'] ?? null ) ? $rules['safetyStock'] : array();
		$global = $safety['global'] ?? 0;
		if ( null === self::units( $global ) ) {
			/* translators: %d: largest value. */
			$errors['ats_safety_global'] = sprintf( __( 'The safety stock is a whole number of units from 0 to %d.', 'syncline' ), self::MAX_UNITS );
		}
		$normal = array(
			'channels'    => $channels ?? array(),
			'safetyStock' => array(
				'global' => (int) self::units( $global ),
				'perSku' => self::per_sku( $safety['perSku'] ?? array(), $errors ),
			),
			'reserve'     => null === $channels ? array() : self::reserve( $rules['reserve'] ?? array(), $channels, $errors ),
			'kits'        => AtsKits::validate( $rules['kits'] ?? array(), $errors ),
		);
		return array( $normal, $channel, $errors );
	}

	/** What a valid channel name is. */
	public static function channel_rule(): string {
		return __( 'A channel name is 1 to 32 characters: lowercase letters, digits, _ and -, starting with a letter or digit.', 'syncline' );
	}

	/**
	 * A non-negative whole number of units (int or digit string) up to MAX_UNITS, else null.
	 *
	 * @param mixed $value Candidate.
	 * @param int   $min   Smallest value allowed.
	 */
	public static function units( $value, int $min = 0 ): ?int {
		if ( is_string( $value ) && 1 === preg_match( '/^\s*[0-9]{1,10}\s*$/', $value ) ) {
			$value = (int) $value;
		}
		return is_int( $value ) && $value >= $min && $value <= self::MAX_UNITS ? $value : null;
	}

	/**
	 * A SKU as a key: trimmed, and then the SKU map's rule (SkuMap::problem: 1 to 191 characters of UTF-8 text, no
	 * control characters); else null.
	 *
	 * @param mixed $sku Candidate (array keys may be ints).
	 */
	public static function sku( $sku ): ?string {
		$sku = trim( (string) ( is_int( $sku ) || is_string( $sku ) ? $sku : '' ) );
		return null === SkuMap::problem( $sku ) ? $sku : null;
	}

	/**
	 * Channel → warehouse ids (each a positive whole number, as a string), at least one channel, one id each.
	 *
	 * @param mixed                 $value  Submitted map.
	 * @param array<string, string> $errors Field errors (added to).
	 * @return array<string, array<int, string>>|null Null when invalid.
	 */
	private static function channels( $value, array &$errors ): ?array {
		if ( ! is_array( $value ) || array() === $value || count( $value ) > 100 ) {
			$errors['ats_channels'] = __( 'Add at least one channel with the ERP warehouses whose stock it sells.', 'syncline' );
			return null;
		}
		$out = array();
		foreach ( $value as $name => $ids ) {
			$name = (string) $name;
			if ( 1 !== preg_match( self::CHANNEL_PATTERN, $name ) ) {
				/* translators: 1: channel name, 2: the rule. */
				$errors['ats_channels'] = sprintf( __( 'Channel "%1$s": %2$s', 'syncline' ), $name, self::channel_rule() );
				return null;
			}
			$list = is_array( $ids ) ? array_map( static fn ( $id ) => is_int( $id ) ? (string) $id : ( is_string( $id ) ? trim( $id ) : '' ), array_values( $ids ) ) : array();
			$bad  = array_filter( $list, static fn ( $id ) => 1 !== preg_match( self::WAREHOUSE_PATTERN, $id ) );
			if ( array() === $list || array() !== $bad ) {
				/* translators: %s: channel name. */
				$errors['ats_channels'] = sprintf( __( 'Channel "%s": list its ERP warehouse ids, each a positive whole number (Dolibarr: the warehouse id; Odoo: the stock.warehouse id), separated by commas.', 'syncline' ), $name );
				return null;
			}
			$out[ $name ] = array_values( array_unique( $list ) );
		}
		return $out;
	}

	/**
	 * SKU → safety stock units.
	 *
	 * @param mixed                 $value  Submitted map.
	 * @param array<string, string> $errors Field errors (added to).
	 * @return array<string, int>
	 */
	private static function per_sku( $value, array &$errors ): array {
		$out = array();
		if ( ! is_array( $value ) || count( $value ) > self::MAX_ENTRIES ) {
			/* translators: %d: most entries. */
			$errors['ats_safety_per_sku'] = sprintf( __( 'Safety stock per SKU is a list of SKU → units (at most %d).', 'syncline' ), self::MAX_ENTRIES );
			return $out;
		}
		foreach ( $value as $sku => $units ) {
			$clean = self::sku( $sku );
			$n     = self::units( $units );
			if ( null === $clean || null === $n ) {
				/* translators: %s: SKU. */
				$errors['ats_safety_per_sku'] = sprintf( __( 'SKU "%s": give a SKU and a whole number of units (0 or more).', 'syncline' ), (string) $sku );
				return array();
			}
			$out[ $clean ] = $n;
		}
		return $out;
	}

	/**
	 * Channel → `{units: n}` or `{percent: 0..100}`, for known channels only.
	 *
	 * @param mixed                             $value    Submitted map.
	 * @param array<string, array<int, string>> $channels Valid channels.
	 * @param array<string, string>             $errors   Field errors (added to).
	 * @return array<string, array<string, int>>
	 */
	private static function reserve( $value, array $channels, array &$errors ): array {
		$out = array();
		if ( ! is_array( $value ) ) {
			$errors['ats_reserve'] = __( 'The reserve is a list of channel → units or percent.', 'syncline' );
			return $out;
		}
		foreach ( $value as $name => $rule ) {
			$name = (string) $name;
			$keys = is_array( $rule ) ? array_keys( $rule ) : array();
			$kind = array( 'units' ) === $keys || array( 'percent' ) === $keys ? $keys[0] : '';
			$n    = '' === $kind ? null : self::units( $rule[ $kind ] );
			if ( ! isset( $channels[ $name ] ) ) {
				/* translators: %s: channel name. */
				$errors['ats_reserve'] = sprintf( __( 'Reserve for "%s": reserve only for a channel listed above.', 'syncline' ), $name );
				return array();
			}
			if ( null === $n || ( 'percent' === $kind && $n > 100 ) ) {
				/* translators: %s: channel name. */
				$errors['ats_reserve'] = sprintf( __( 'Reserve for "%s": a whole number of units, or a percent from 0 to 100 (e.g. 5 or 10%%).', 'syncline' ), $name );
				return array();
			}
			$out[ $name ] = array( $kind => $n );
		}
		return $out;
	}
}

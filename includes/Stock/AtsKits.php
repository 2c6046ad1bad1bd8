<?php
/**
 * Kits of the ATS rules: kit SKU → component SKUs with quantities, no cycles.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

/**
 * Pure validation. A kit's ATS is the least of floor(component ATS / quantity); a component may itself be a kit,
 * so the kits are returned inner kits first (the order the sidecar computes them in), and a kit that contains
 * itself, directly or through other kits, is refused.
 */
final class AtsKits {

	/**
	 * Validates and orders the kits.
	 *
	 * @param mixed                 $value  Submitted map: kit SKU → `{components: {SKU: quantity}}`.
	 * @param array<string, string> $errors Field errors (`ats_kits` added on the first bad kit).
	 * @return array<string, array{components: array<string, int>}>
	 */
	public static function validate( $value, array &$errors ): array {
		if ( ! is_array( $value ) || count( $value ) > AtsSettings::MAX_ENTRIES ) {
			/* translators: %d: most kits. */
			$errors['ats_kits'] = sprintf( __( 'Kits are a list of kit SKU → components (at most %d kits).', 'syncline' ), AtsSettings::MAX_ENTRIES );
			return array();
		}
		$kits = array();
		foreach ( $value as $sku => $kit ) {
			$clean      = AtsSettings::sku( $sku );
			$components = null === $clean ? null : self::components( is_array( $kit ) ? ( $kit['components'] ?? null ) : null );
			if ( null === $components ) {
				/* translators: 1: kit SKU, 2: most components. */
				$errors['ats_kits'] = sprintf( __( 'Kit "%1$s": give the kit SKU and 1 to %2$d components, each a SKU with a whole quantity of at least 1 (e.g. MUG:2, BOX:1).', 'syncline' ), (string) $sku, AtsSettings::MAX_COMPONENTS );
				return array();
			}
			$kits[ $clean ] = array( 'components' => $components );
		}
		$ordered = array();
		foreach ( array_keys( $kits ) as $sku ) {
			$cycle = self::visit( (string) $sku, $kits, $ordered, array() );
			if ( null !== $cycle ) {
				/* translators: %s: the SKUs of the cycle, e.g. A → B → A. */
				$errors['ats_kits'] = sprintf( __( 'Kits cannot contain themselves: %s.', 'syncline' ), implode( ' → ', $cycle ) );
				return array();
			}
		}
		return $ordered;
	}

	/**
	 * Component SKU → quantity, or null when not valid.
	 *
	 * @param mixed $value Submitted components.
	 * @return array<string, int>|null
	 */
	private static function components( $value ): ?array {
		if ( ! is_array( $value ) || array() === $value || count( $value ) > AtsSettings::MAX_COMPONENTS ) {
			return null;
		}
		$out = array();
		foreach ( $value as $sku => $qty ) {
			$clean = AtsSettings::sku( $sku );
			$n     = AtsSettings::units( $qty, 1 );
			if ( null === $clean || null === $n ) {
				return null;
			}
			$out[ $clean ] = $n;
		}
		return $out;
	}

	/**
	 * Depth-first: adds a kit after the kits it contains; returns the path of a cycle when one is met.
	 *
	 * @param string                                               $sku     Kit SKU.
	 * @param array<string, array{components: array<string, int>}> $kits    All kits.
	 * @param array<string, array{components: array<string, int>}> $ordered Kits placed so far (added to).
	 * @param array<int, string>                                   $path    Kits being visited.
	 * @return array<int, string>|null
	 */
	private static function visit( string $sku, array $kits, array &$ordered, array $path ): ?array {
		if ( in_array( $sku, $path, true ) ) {
			return array_merge( array_slice( $path, (int) array_search( $sku, $path, true ) ), array( $sku ) );
		}
		if ( isset( $ordered[ $sku ] ) || ! isset( $kits[ $sku ] ) ) {
			return null;
		}
		$path[] = $sku;
		foreach ( array_keys( $kits[ $sku ]['components'] ) as $component ) {
			$cycle = self::visit( (string) $component, $kits, $ordered, $path );
			if ( null !== $cycle ) {
				return $cycle;
			}
		}
		$ordered[ $sku ] = $kits[ $sku ];
		return null;
	}
}

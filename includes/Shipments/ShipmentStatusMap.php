<?php
/**
 * ERP shipment progress → WooCommerce order status, from the mappings screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Outbox\Mappings;

/**
 * Mapping kind `shipment_status` (admin → Mappings → Shipment statuses): key `partial` or `shipped`, value a
 * WooCommerce order status (bare, e.g. `completed`) or `keep` (leave the status, notes only). Defaults: shipped →
 * `completed`, partial → `partially-shipped` (the status this plugin registers: the order stays open, and paid).
 * Only open orders move: an order in another status (completed, cancelled, refunded, …) keeps it.
 */
final class ShipmentStatusMap {

	public const PARTIAL  = 'partial';
	public const SHIPPED  = 'shipped';
	public const KEEP     = 'keep';
	public const KEYS     = array( self::PARTIAL, self::SHIPPED );
	public const DEFAULTS = array(
		self::PARTIAL => ShipmentsModule::PARTIAL_STATUS,
		self::SHIPPED => 'completed',
	);
	/** Statuses a shipment may move an order out of (the partial target is added). */
	public const OPEN = array( 'processing', 'on-hold', ShipmentsModule::PARTIAL_STATUS );

	/**
	 * Builds the map.
	 *
	 * @param Mappings $mappings The admin's mappings.
	 */
	public function __construct( private Mappings $mappings ) {
	}

	/**
	 * The status an order should move to, or null to leave it.
	 *
	 * @param string             $current  The order's status (bare).
	 * @param bool               $complete Every line shipped.
	 * @param array<int, string> $valid    Registered statuses (bare).
	 */
	public function target( string $current, bool $complete, array $valid ): ?string {
		return self::decide( $current, $complete, $this->configured( $complete ? self::SHIPPED : self::PARTIAL ), $valid );
	}

	/**
	 * The pure rule (unit-tested).
	 *
	 * @param string             $current    Current status (bare).
	 * @param bool               $complete   Every line shipped.
	 * @param string             $configured Mapped value for this progress.
	 * @param array<int, string> $valid      Registered statuses (bare).
	 */
	public static function decide( string $current, bool $complete, string $configured, array $valid ): ?string {
		$open = self::OPEN;
		if ( ! $complete ) {
			$open[] = $configured;
		}
		if ( self::KEEP === $configured || $configured === $current || ! in_array( $configured, $valid, true ) ) {
			return null;
		}
		return in_array( $current, $open, true ) ? $configured : null;
	}

	/**
	 * The mapped value of `partial` or `shipped`, or its default.
	 *
	 * @param string $key partial|shipped.
	 */
	private function configured( string $key ): string {
		$value = $this->mappings->get( Mappings::SHIPMENT_STATUS, $key );
		return null === $value || '' === $value ? self::DEFAULTS[ $key ] : $value;
	}
}

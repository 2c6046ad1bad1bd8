<?php
/**
 * Validation of the `shipment_status` mapping kind (admin → Mappings).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

/**
 * Key `partial` or `shipped`; value a registered WooCommerce order status (bare) or `keep`.
 */
final class ShipmentStatusRules {

	/**
	 * Field messages for a mapping (only for fields without an earlier message).
	 *
	 * @param string                $key      WooCommerce-side key (here: the shipment progress).
	 * @param string                $value    Value (a status or keep).
	 * @param array<int, string>    $statuses Registered order statuses (bare).
	 * @param array<string, string> $errors   Messages already found.
	 * @return array<string, string>
	 */
	public static function check( string $key, string $value, array $statuses, array $errors ): array {
		$out = array();
		if ( ! isset( $errors['wc_key'] ) && ! in_array( $key, ShipmentStatusMap::KEYS, true ) ) {
			$out['wc_key'] = __( 'Use partial (some lines shipped) or shipped (every line shipped).', 'syncline' );
		}
		$bare = str_starts_with( $value, 'wc-' ) ? substr( $value, 3 ) : $value;
		if ( ! isset( $errors['erp_value'] ) && ShipmentStatusMap::KEEP !== $bare && ! in_array( $bare, $statuses, true ) ) {
			/* translators: %s: comma-separated list of statuses */
			$out['erp_value'] = sprintf( __( 'Use keep or a WooCommerce order status: %s.', 'syncline' ), implode( ', ', $statuses ) );
		}
		return $out;
	}
}

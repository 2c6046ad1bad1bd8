<?php
/**
 * Server-side validation of the admin mappings other than SKUs.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Exception\InvalidRequest;
use Syncline\Outbox\Mappings;

/**
 * Checks one (type, wc_key, erp_value) and returns it normalised, or throws InvalidRequest with
 * per-field messages (`wc_key`, `erp_value`).
 */
final class MappingRules {

	/** WooCommerce's core order statuses, used when WooCommerce is not loaded. */
	public const FALLBACK_STATUSES = array( 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft' );

	public const MAX_LEN = 191;

	/**
	 * The order statuses a mapping may name, without the `wc-` prefix.
	 *
	 * @return array<int, string>
	 */
	public static function order_statuses(): array {
		if ( function_exists( 'wc_get_order_statuses' ) ) {
			$keys = array_map( static fn ( $k ): string => self::strip_wc( (string) $k ), array_keys( wc_get_order_statuses() ) );
			return array_values( array_unique( array_merge( $keys, array( 'checkout-draft' ) ) ) );
		}
		return self::FALLBACK_STATUSES;
	}

	/**
	 * Validates and normalises one mapping.
	 *
	 * @param string $type      One of Mappings::TYPES.
	 * @param mixed  $wc_key    WooCommerce key.
	 * @param mixed  $erp_value ERP value.
	 * @return array{wc_key: string, erp_value: string}
	 * @throws InvalidRequest With field messages.
	 */
	public static function check( string $type, $wc_key, $erp_value ): array {
		$key    = is_scalar( $wc_key ) ? trim( (string) $wc_key ) : '';
		$value  = is_scalar( $erp_value ) ? trim( (string) $erp_value ) : '';
		$errors = array();
		if ( '' === $key || strlen( $key ) > self::MAX_LEN || 1 === preg_match( '/[\x00-\x1F\x7F]/', $key ) ) {
			$errors['wc_key'] = __( 'Enter a key of at most 191 characters, without control characters.', 'syncline' );
		}
		if ( '' === $value ) {
			$errors['erp_value'] = __( 'Enter a value.', 'syncline' );
		}
		switch ( $type ) {
			case Mappings::ORDER_STATUS:
				$key = self::strip_wc( $key );
				if ( ! isset( $errors['wc_key'] ) && ! in_array( $key, self::order_statuses(), true ) ) {
					/* translators: %s: comma-separated list of statuses */
					$errors['wc_key'] = sprintf( __( 'Unknown WooCommerce order status; use one of: %s.', 'syncline' ), implode( ', ', self::order_statuses() ) );
				}
				if ( ! isset( $errors['erp_value'] ) && ! in_array( $value, array( 'push', 'skip' ), true ) ) {
					$errors['erp_value'] = __( 'Use push or skip.', 'syncline' );
				}
				break;
			case Mappings::PAYMENT_METHOD:
				if ( ! isset( $errors['erp_value'] ) && 1 !== preg_match( '/^[A-Z0-9_]{1,32}(:\d+)?$/', $value ) ) {
					$errors['erp_value'] = __( 'Use an ERP payment mode code (A–Z, 0–9, _; up to 32), optionally followed by :bank account id, e.g. CHQ or VIR:3.', 'syncline' );
				}
				break;
			case Mappings::TAX_RATE:
				if ( ! isset( $errors['wc_key'] ) && 1 !== preg_match( '/^[1-9]\d{0,18}$/', $key ) ) {
					$errors['wc_key'] = __( 'Use a WooCommerce tax rate id (a positive whole number).', 'syncline' );
				}
				if ( ! isset( $errors['erp_value'] ) && 1 !== preg_match( '/^[A-Za-z0-9._%-]{1,32}$/', $value ) ) {
					$errors['erp_value'] = __( 'Use a VAT rate such as 20 or 5.5, or a VAT code (letters, digits, . _ % -; up to 32).', 'syncline' );
				}
				break;
			case Mappings::SHIPPING_METHOD:
				if ( ! isset( $errors['erp_value'] ) && ( strlen( $value ) > self::MAX_LEN || 1 === preg_match( '/[\x00-\x1F\x7F]/', $value ) ) ) {
					$errors['erp_value'] = __( 'Use an ERP service product reference of at most 191 characters.', 'syncline' );
				}
				break;
			case Mappings::SHIPMENT_STATUS:
				$errors += \Syncline\Shipments\ShipmentStatusRules::check( $key, $value, self::order_statuses(), $errors );
				break;
			default:
				throw InvalidRequest::with( __( 'Unknown mapping type.', 'syncline' ), array( 'type' => __( 'Unknown mapping type.', 'syncline' ) ) );
		}
		if ( array() !== $errors ) {
			throw InvalidRequest::with( __( 'The mapping is not valid.', 'syncline' ), $errors );
		}
		return array(
			'wc_key'    => $key,
			'erp_value' => $value,
		);
	}

	/**
	 * A status without WooCommerce's `wc-` prefix (the REST API and the sidecar use the bare form).
	 *
	 * @param string $status Status.
	 */
	private static function strip_wc( string $status ): string {
		return str_starts_with( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	}
}

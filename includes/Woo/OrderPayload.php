<?php
/**
 * An order as the lease sends it, with what WooCommerce said about it.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Woo;

/**
 * Found: `order` is the wc/v3 order. Deleted: WooCommerce confirms the order is gone (no order object and no row
 * in its tables). Unavailable: WooCommerce could not load it now (not loaded, or an unexpected answer): the
 * sidecar gives the event back untried and never treats it as deleted.
 */
final class OrderPayload {

	public const FOUND       = 'found';
	public const DELETED     = 'deleted';
	public const UNAVAILABLE = 'unavailable';

	/**
	 * Builds the value.
	 *
	 * @param string                    $state One of the constants.
	 * @param array<string, mixed>|null $order The wc/v3 order when found.
	 */
	private function __construct( public readonly string $state, public readonly ?array $order ) {
	}

	/**
	 * The order was loaded.
	 *
	 * @param array<string, mixed> $order The wc/v3 order.
	 */
	public static function found( array $order ): self {
		return new self( self::FOUND, $order );
	}

	/**
	 * WooCommerce confirms the order is gone.
	 */
	public static function deleted(): self {
		return new self( self::DELETED, null );
	}

	/**
	 * WooCommerce could not say.
	 */
	public static function unavailable(): self {
		return new self( self::UNAVAILABLE, null );
	}

	/**
	 * Decides from what wc_get_order() answered: deleted only when it answered false and no row holds the id.
	 *
	 * @param mixed $loaded     What wc_get_order() returned (a WC_Order was handled before).
	 * @param bool  $row_exists Whether an order row (HPOS table or order post) holds the id.
	 */
	public static function not_loaded( $loaded, bool $row_exists ): self {
		return false === $loaded && ! $row_exists ? self::deleted() : self::unavailable();
	}
}

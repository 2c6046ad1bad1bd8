<?php
/**
 * The Dolibarr webhook target: its per-target secret, its URL and the trigger codes it listens to.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Webhooks;

use Syncline\Infrastructure\Options;

/**
 * Dolibarr cannot sign a webhook, so the target URL carries a secret (32 hex characters, compared in constant
 * time). Rotating it invalidates the old URL at once.
 */
class WebhookTarget {

	public const SECRET_OPTION = 'syncline_webhook_secret';
	public const ROUTE         = '/webhooks/dolibarr';
	/** Dolibarr 20 trigger codes whose object names products whose stock or master data may have changed. */
	public const TRIGGERS = array(
		'STOCK_MOVEMENT',
		'PRODUCT_CREATE',
		'PRODUCT_MODIFY',
		'PRODUCT_PRICE_MODIFY',
		'ORDER_VALIDATE',
		'ORDER_CANCEL',
		'ORDER_CLOSE',
		'SHIPPING_VALIDATE',
		'RECEPTION_VALIDATE',
	);

	/**
	 * Builds the target.
	 *
	 * @param Options $options Options.
	 */
	public function __construct( private Options $options ) {
	}

	/** The secret, or '' when none was created yet. */
	public function secret(): string {
		$secret = $this->options->get( self::SECRET_OPTION, '' );
		return is_string( $secret ) ? $secret : '';
	}

	/** The secret, created when missing. */
	public function ensure_secret(): string {
		$secret = $this->secret();
		return '' !== $secret ? $secret : $this->rotate();
	}

	/** A new secret (the old URL stops working). */
	public function rotate(): string {
		$secret = bin2hex( random_bytes( 16 ) );
		$this->options->set( self::SECRET_OPTION, $secret );
		return $secret;
	}

	/**
	 * Whether a secret from a URL is this target's.
	 *
	 * @param string $given Secret from the URL.
	 */
	public function matches( string $given ): bool {
		$secret = $this->secret();
		return '' !== $secret && hash_equals( $secret, $given );
	}

	/** The URL to give Dolibarr ('' without a secret). */
	public function url(): string {
		$secret = $this->secret();
		return '' === $secret ? '' : rest_url( 'syncline/v1' . self::ROUTE . '/' . $secret );
	}
}

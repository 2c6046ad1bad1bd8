<?php
/**
 * Input that fails validation.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * Invalid input, with one message per field; the REST funnel turns it into 400 syncline_invalid_request.
 */
final class InvalidRequest extends \InvalidArgumentException implements SynclineException {

	/**
	 * Messages per field name.
	 *
	 * @var array<string, string>
	 */
	public array $errors = array();

	/**
	 * Builds it from per-field messages.
	 *
	 * @param array<string, string> $errors Field → message.
	 */
	public static function fields( array $errors ): self {
		$e         = new self( __( 'The request is invalid.', 'syncline' ) . ' ' . implode( '; ', array_map( static fn ( $k, $v ) => "$k: $v", array_keys( $errors ), $errors ) ) );
		$e->errors = $errors;
		return $e;
	}

	/**
	 * Builds it with a summary of its own and per-field messages (the admin screen shows both).
	 *
	 * @param string                $message Summary.
	 * @param array<string, string> $errors  Field → message.
	 */
	public static function with( string $message, array $errors ): self {
		$e         = new self( $message );
		$e->errors = $errors;
		return $e;
	}
}

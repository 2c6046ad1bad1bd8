<?php
/**
 * A sidecar request that fails authentication.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * Bad signature, stale or replayed request (401), or an oversized body (413), with the contract's code.
 */
final class AuthFailure extends \RuntimeException implements SynclineException {

	/**
	 * Builds it.
	 *
	 * @param string $error_code The contract's code, e.g. syncline_bad_signature.
	 * @param string $message    Human-readable message.
	 * @param int    $status     HTTP status.
	 */
	public function __construct( public readonly string $error_code, string $message, public readonly int $status = 401 ) {
		parent::__construct( $message );
	}

	/**
	 * Missing, ill-formed or wrong signature headers.
	 *
	 * @param string $why What is wrong.
	 */
	public static function bad_signature( string $why ): self {
		return new self( 'syncline_bad_signature', $why );
	}

	/**
	 * Timestamp outside the window.
	 */
	public static function stale(): self {
		return new self( 'syncline_stale_request', __( 'The request timestamp is outside the allowed window.', 'syncline' ) );
	}

	/**
	 * Nonce already used.
	 */
	public static function replayed(): self {
		return new self( 'syncline_replayed_request', __( 'This request was already received.', 'syncline' ) );
	}

	/**
	 * Body too large.
	 */
	public static function too_large(): self {
		return new self( 'syncline_payload_too_large', __( 'The request body is larger than 1 MiB.', 'syncline' ), 413 );
	}
}

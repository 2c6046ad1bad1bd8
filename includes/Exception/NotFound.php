<?php
/**
 * Something asked for does not exist.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * An unknown event, mapping or other object; the REST funnel maps it to 404 (`new NotFound( $message )` for a
 * message of the caller's own).
 */
final class NotFound extends \RuntimeException implements SynclineException {

	/**
	 * An unknown outbox event.
	 *
	 * @param int $id Event id.
	 */
	public static function event( int $id ): self {
		/* translators: %d: event id. */
		return new self( sprintf( __( 'No event %d.', 'syncline' ), $id ) );
	}
}

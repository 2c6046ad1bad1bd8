<?php
/**
 * A database statement failed.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * The database refused a statement (its message may contain SQL: shown only to managers).
 */
final class StorageError extends \RuntimeException implements SynclineException {

	/**
	 * Wraps $wpdb->last_error.
	 *
	 * @param string $error The database error.
	 */
	public static function from_db( string $error ): self {
		return new self( 'Database error: ' . $error );
	}
}

<?php
/**
 * The one answer of every REST funnel to an unexpected error.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use WP_Error;

/**
 * Logs the error with a reference id and answers a generic 500 that carries only that reference: exception
 * text (SQL, paths, hosts) never leaves the server, and an operator can still find the log line. Users who may
 * manage WooCommerce also get `details` (the exception's class and the route's controller), never its text.
 */
final class InternalError {

	public const CODE = 'syncline_internal_error';

	/**
	 * Logs and answers.
	 *
	 * @param \Throwable $e     The error.
	 * @param string     $where Which funnel (for the log line).
	 */
	public static function response( \Throwable $e, string $where ): WP_Error {
		$reference = self::reference();
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the funnel logs what it hides.
		error_log( sprintf( 'Syncline %s error [ref %s]: %s: %s at %s:%d', $where, $reference, get_class( $e ), $e->getMessage(), $e->getFile(), $e->getLine() ) );
		$data = array(
			'status'    => 500,
			'reference' => $reference,
		);
		if ( current_user_can( 'manage_woocommerce' ) ) {
			$data['details'] = array(
				'exception' => get_class( $e ),
				'where'     => $where,
			);
		}
		return new WP_Error(
			self::CODE,
			/* translators: %s: reference id of the log line. */
			sprintf( __( 'Syncline could not complete the request. Reference: %s (the details are in the PHP error log).', 'syncline' ), $reference ),
			$data
		);
	}

	/** A short random id to find the log line by. */
	private static function reference(): string {
		try {
			return bin2hex( random_bytes( 6 ) );
		} catch ( \Exception $e ) {
			unset( $e );
			return uniqid();
		}
	}
}

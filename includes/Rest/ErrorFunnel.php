<?php
/**
 * The one error funnel of every Syncline REST route.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\AuthFailure;
use Syncline\Exception\Conflict;
use Syncline\Exception\InvalidRequest;
use Syncline\Exception\NotFound;
use WP_Error;

/**
 * Turns an exception into the REST error the caller sees. The exception classes the callers may know about are
 * listed in STATUS (class → status, code); their message was written for the user (translated, no internals).
 * Everything else is an internal error: logged, answered by a reference (InternalError).
 */
final class ErrorFunnel {

	/** Expected exception class → [HTTP status, error code]. AuthFailure carries its own (401, 413). */
	public const STATUS = array(
		InvalidRequest::class => array( 400, 'syncline_invalid_request' ),
		NotFound::class       => array( 404, 'syncline_not_found' ),
		Conflict::class       => array( 409, 'syncline_conflict' ),
	);

	/**
	 * The error for one exception.
	 *
	 * @param \Throwable $e     What the route threw.
	 * @param string     $where Which controller (for the log line of an internal error).
	 */
	public static function error( \Throwable $e, string $where ): WP_Error {
		if ( $e instanceof AuthFailure ) {
			return new WP_Error( $e->error_code, $e->getMessage(), array( 'status' => $e->status ) );
		}
		foreach ( self::STATUS as $class => list( $status, $code ) ) {
			if ( $e instanceof $class ) {
				$data = array( 'status' => $status );
				if ( $e instanceof InvalidRequest ) {
					$data['errors'] = $e->errors;
				}
				return new WP_Error( $code, $e->getMessage(), $data );
			}
		}
		return InternalError::response( $e, $where );
	}
}

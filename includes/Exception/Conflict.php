<?php
/**
 * An operation not allowed in the object's current state.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * E.g. retrying an event that is not in the exception queue; the REST funnel maps it to 409.
 */
final class Conflict extends \RuntimeException implements SynclineException {

	/**
	 * The event is not in a state that allows the operation.
	 *
	 * @param int    $id    Event id.
	 * @param string $state Its state.
	 */
	public static function state( int $id, string $state ): self {
		/* translators: 1: event id, 2: state. */
		return new self( sprintf( __( 'Event %1$d is %2$s; this is not possible in that state.', 'syncline' ), $id, $state ) );
	}
}

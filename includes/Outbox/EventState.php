<?php
/**
 * The states of an outbox event.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

/**
 * States: pending → leased → done | pending (retry) | needs_human → pending (manual retry) | discarded.
 */
final class EventState {

	public const PENDING     = 'pending';
	public const LEASED      = 'leased';
	public const DONE        = 'done';
	public const NEEDS_HUMAN = 'needs_human';
	public const DISCARDED   = 'discarded';

	public const ALL = array( self::PENDING, self::LEASED, self::DONE, self::NEEDS_HUMAN, self::DISCARDED );
}

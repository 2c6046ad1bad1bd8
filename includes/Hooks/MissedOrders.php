<?php
/**
 * Orders whose outbox write failed in a hook.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;

/**
 * A small list (option `syncline_missed_orders`: order id => first failure time) that the admin notice shows and
 * the sweep drains. Bounded: past MAX ids the oldest are dropped (the sweep's date window still finds them).
 */
class MissedOrders {

	public const MAX = 1000;

	/**
	 * Builds the list.
	 *
	 * @param Options $options Options.
	 */
	public function __construct( private Options $options ) {
	}

	/**
	 * Remembers an order whose event could not be written.
	 *
	 * @param int $order_id Order id.
	 */
	public function add( int $order_id ): void {
		$all = $this->all();
		if ( isset( $all[ $order_id ] ) ) {
			return;
		}
		$all[ $order_id ] = time();
		if ( count( $all ) > self::MAX ) {
			asort( $all );
			$all = array_slice( $all, -self::MAX, null, true );
		}
		$this->options->set( OutboxSchema::MISSED_ORDERS_OPTION, $all );
	}

	/**
	 * Order id => first failure time.
	 *
	 * @return array<int, int>
	 */
	public function all(): array {
		$value = $this->options->get( OutboxSchema::MISSED_ORDERS_OPTION, array() );
		$out   = array();
		foreach ( is_array( $value ) ? $value : array() as $id => $at ) {
			if ( (int) $id > 0 ) {
				$out[ (int) $id ] = (int) $at;
			}
		}
		return $out;
	}

	/**
	 * Forgets orders (their event now exists, or they are gone).
	 *
	 * @param array<int, int> $order_ids Order ids.
	 */
	public function forget( array $order_ids ): void {
		$all  = $this->all();
		$left = array_diff_key( $all, array_flip( $order_ids ) );
		if ( count( $left ) !== count( $all ) ) {
			$this->options->set( OutboxSchema::MISSED_ORDERS_OPTION, $left );
		}
	}
}

<?php
/**
 * The ack side of in-flight accounting.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

/**
 * When an order event is acked done with refs.erp_counted (the ERP's state of the order counts it, whatever steps
 * ran), or its refs.steps include the step at which the ERP counts the order in
 * its stock (Dolibarr: validate_order, with STOCK_CALCULATE_ON_VALIDATE_ORDER=1), the order's in-flight rows
 * become counted. The step can be changed with the `syncline_stock_counting_step` filter.
 */
class StockAcks {

	public const DEFAULT_STEP = 'validate_order';

	/**
	 * Builds the service.
	 *
	 * @param InFlight $inflight In-flight rows.
	 */
	public function __construct( private InFlight $inflight ) {
	}

	/**
	 * Called by Acks after a done ack was stored.
	 *
	 * @param string       $object_type Event object type.
	 * @param int          $object_id   Order id.
	 * @param array<mixed> $refs        Validated refs.
	 */
	public function done( string $object_type, int $object_id, array $refs ): void {
		$step  = (string) apply_filters( 'syncline_stock_counting_step', self::DEFAULT_STEP );
		$steps = is_array( $refs['steps'] ?? null ) ? $refs['steps'] : array();
		// refs.erp_counted: the ERP holds the order counted now (e.g. a replay after validation ran no step).
		if ( 'order' === $object_type && ( true === ( $refs['erp_counted'] ?? null ) || in_array( $step, $steps, true ) ) ) {
			$this->inflight->counted( $object_id );
		}
	}
}

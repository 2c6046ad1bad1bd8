<?php
/**
 * An order source for lease tests: every order is found unless told otherwise.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Outbox;

use Syncline\Woo\OrderPayload;
use Syncline\Woo\OrderSource;

/**
 * Listed ids answer the given payload (or throw the given error), others are found with no lines; `$during` runs
 * while each payload is read (e.g. a checkout writing to the order at that moment).
 */
final class StubOrderSource implements OrderSource {

	/**
	 * Builds the source.
	 *
	 * @param array<int, OrderPayload|\Throwable> $answers Order id => answer.
	 * @param \Closure|null                       $during  Runs while a payload is read.
	 */
	public function __construct( private array $answers = array(), private ?\Closure $during = null ) {
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param array<int, int> $ids Order ids.
	 */
	public function prime( array $ids ): void {
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 * @throws \Throwable The error listed for the id.
	 */
	public function order_payload( int $id ): OrderPayload {
		if ( null !== $this->during ) {
			( $this->during )( $id );
		}
		$answer = $this->answers[ $id ] ?? OrderPayload::found(
			array(
				'id'         => $id,
				'line_items' => array(),
			)
		);
		if ( $answer instanceof \Throwable ) {
			throw $answer;
		}
		return $answer;
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_order_payload( int $id ): ?array {
		return $this->order_payload( $id )->order;
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int                  $id   Order id.
	 * @param array<string, mixed> $refs Refs.
	 */
	public function store_erp_refs( int $id, array $refs ): void {
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_erp_refs( int $id ): ?array {
		return null;
	}

	/**
	 * {@inheritDoc}
	 */
	public function wc_version(): string {
		return '';
	}
}

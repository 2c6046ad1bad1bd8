<?php
/**
 * Applies the sidecar's acknowledgements.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Stock\StockAcks;
use Syncline\Woo\OrderSource;

/**
 * Each result is applied on its own, guarded by its lease token; a lost lease is refused and changes nothing.
 */
class Acks {

	/**
	 * Builds the service.
	 *
	 * @param OutboxRepository $repository Acks.
	 * @param OutboxQueries    $queries    Event reads.
	 * @param OrderSource      $orders     The WooCommerce seam (ERP refs on the order).
	 * @param EventLog         $log        Event history.
	 * @param StockAcks|null   $stock      In-flight stock accounting (orders the ERP has now counted).
	 */
	public function __construct(
		private OutboxRepository $repository,
		private OutboxQueries $queries,
		private OrderSource $orders,
		private EventLog $log,
		private ?StockAcks $stock = null
	) {
	}

	/**
	 * Applies validated results.
	 *
	 * @param array<int, array<string, mixed>> $results Validated results.
	 * @return array<int, array<string, mixed>> One {id, ok[, code]} per result.
	 */
	public function apply( array $results ): array {
		$out = array();
		foreach ( $results as $result ) {
			$id    = (int) $result['id'];
			$ok    = $this->apply_one( $id, (string) $result['lease_token'], $result );
			$out[] = $ok ? array(
				'id' => $id,
				'ok' => true,
			) : array(
				'id'   => $id,
				'ok'   => false,
				'code' => 'syncline_lease_lost',
			);
		}
		return $out;
	}

	/**
	 * Applies one result.
	 *
	 * @param int                  $id     Event id.
	 * @param string               $token  Lease token.
	 * @param array<string, mixed> $result Validated result.
	 */
	private function apply_one( int $id, string $token, array $result ): bool {
		switch ( $result['outcome'] ) {
			case 'done':
				$ok = $this->repository->ack_done( $id, $token, $result['refs'], $result['covers'] ?? null );
				if ( $ok ) {
					$this->store_refs( $id, $result['refs'] );
				}
				return $ok;
			case 'retry':
				return $this->repository->ack_retry( $id, $token, (int) $result['retry_after_seconds'], $result['error'] );
			default:
				return $this->repository->ack_needs_human( $id, $token, $result['error'] );
		}
	}

	/**
	 * Stores the refs on the order. The event is already done: a failure here is logged on the event, not lost.
	 *
	 * @param int                  $id   Event id.
	 * @param array<string, mixed> $refs ERP refs.
	 */
	private function store_refs( int $id, array $refs ): void {
		$event = $this->queries->get( $id );
		if ( 'order' !== $event['object_type'] ) {
			return;
		}
		try {
			$this->stock?->done( 'order', (int) $event['object_id'], $refs );
			$this->orders->store_erp_refs( (int) $event['object_id'], $refs );
		} catch ( \Throwable $e ) {
			$this->log->add( $id, 'refs_not_stored', $e->getMessage() );
		}
	}
}

<?php
/**
 * Leasing for the sidecar: long-poll claims and event payloads.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Clock;
use Syncline\Woo\OrderSource;

/**
 * Claims events (waiting up to wait_seconds for one to become due) and attaches the order as wc/v3 shows it.
 * Payloads are built per event: one that cannot be built becomes that event's exception; the rest are leased.
 */
class Leases {

	public const POLL_INTERVAL_MS = 200;

	/**
	 * The order mappings of the current lease batch (read once, on the first order event).
	 *
	 * @var array<string, object>|null
	 */
	private ?array $batch_mappings = null;

	/**
	 * Builds the service.
	 *
	 * @param OutboxRepository $repository Claims.
	 * @param OrderSource      $orders     The WooCommerce seam.
	 * @param SkuMap           $sku_map    SKU mappings.
	 * @param Clock            $clock      Time.
	 * @param Mappings|null    $mappings   Order status, payment, tax and shipping mappings (sent with order events).
	 */
	public function __construct(
		private OutboxRepository $repository,
		private OrderSource $orders,
		private SkuMap $sku_map,
		private Clock $clock,
		private ?Mappings $mappings = null
	) {
	}

	/**
	 * Leases up to $limit events, long-polling when none are due.
	 *
	 * @param string $worker        Worker id.
	 * @param int    $limit         Maximum events.
	 * @param int    $lease_seconds Lease length.
	 * @param int    $wait_seconds  Longest wait for a due event.
	 * @param int[]  $exclude       Event ids the worker holds already (never leased to it again).
	 * @return array<int, array<string, mixed>> Events in the contract's shape.
	 */
	public function lease( string $worker, int $limit, int $lease_seconds, int $wait_seconds, array $exclude = array() ): array {
		$deadline = microtime( true ) + $wait_seconds;
		do {
			$rows = $this->repository->claim( $worker, $limit, $lease_seconds, $exclude );
			if ( array() !== $rows || microtime( true ) >= $deadline ) {
				break;
			}
			$this->clock->sleep_ms( self::POLL_INTERVAL_MS );
		} while ( true );
		$this->batch_mappings = null;
		// Read before any payload is built, so each payload shows at least these writes (see ack_done()).
		$covers = $this->repository->pending_versions( $this->order_ids( $rows ) );
		$this->orders->prime( $this->order_ids( $rows ) );
		$events = array();
		foreach ( $rows as $row ) {
			try {
				$events[] = $this->shape( $row, $covers[ (int) $row['object_id'] ] ?? array() );
			} catch ( \Throwable $e ) {
				$this->unbuildable( $row, $e );
			}
		}
		return $events;
	}

	/**
	 * The order ids among leased rows.
	 *
	 * @param array<int, array<string, mixed>> $rows Leased rows.
	 * @return array<int, int>
	 */
	private function order_ids( array $rows ): array {
		$ids = array();
		foreach ( $rows as $row ) {
			if ( 'order' === $row['object_type'] ) {
				$ids[] = (int) $row['object_id'];
			}
		}
		return $ids;
	}

	/**
	 * Extends the leases $worker still holds with these tokens.
	 *
	 * @param string             $worker        Worker id.
	 * @param array<int, string> $leases        Event id => lease token.
	 * @param int                $lease_seconds New lease length from now.
	 * @return array{renewed: array<int, array{id: int, leased_until: int}>, lost: array<int, int>}
	 */
	public function renew( string $worker, array $leases, int $lease_seconds ): array {
		return $this->repository->renew( $worker, $leases, $lease_seconds );
	}

	/**
	 * An event whose payload could not be built: its own exception, with a sentence an admin can act on.
	 *
	 * @param array<string, mixed> $row Leased row.
	 * @param \Throwable           $e   Why.
	 */
	private function unbuildable( array $row, \Throwable $e ): void {
		$this->repository->ack_needs_human(
			(int) $row['id'],
			(string) $row['lease_token'],
			array(
				'code'    => 'payload_unavailable',
				'message' => sprintf(
					/* translators: 1: object type, 2: object id, 3: the error. */
					__( 'Syncline could not read %1$s %2$d from WooCommerce to send it to the ERP (%3$s). Open it in WooCommerce, correct what the message names (or deactivate the plugin that breaks it), then retry it here.', 'syncline' ),
					(string) $row['object_type'],
					(int) $row['object_id'],
					mb_substr( $e->getMessage(), 0, 500 )
				),
				'details' => array( 'exception' => get_class( $e ) ),
			)
		);
	}

	/**
	 * One leased row in the contract's shape, with its payload. Order events also carry `covers`: the order's other
	 * pending events and their write versions, which a done ack echoes to close them with this push.
	 *
	 * @param array<string, mixed>                     $row    Event row.
	 * @param array<int, array{id: int, version: int}> $covers The order's pending events before the payload was read.
	 * @return array<string, mixed>
	 */
	private function shape( array $row, array $covers ): array {
		$event = array(
			'id'             => (int) $row['id'],
			'topic'          => (string) $row['topic'],
			'object_type'    => (string) $row['object_type'],
			'object_id'      => (int) $row['object_id'],
			'correlation_id' => (string) $row['correlation_id'],
			'attempts'       => (int) $row['attempts'],
			'lease_token'    => (string) $row['lease_token'],
			'leased_until'   => (int) $row['leased_until'],
			'created_at'     => (int) $row['created_at'],
			'payload'        => $this->payload( (string) $row['object_type'], (int) $row['object_id'] ),
		);
		if ( 'order' === $row['object_type'] ) {
			$event['covers'] = $covers;
		}
		return $event;
	}

	/**
	 * The order now with its state (found, deleted: WooCommerce confirms it is gone, unavailable: it could not be
	 * loaded now), the SKU mappings of its lines and the other order mappings.
	 *
	 * @param string $object_type Object type.
	 * @param int    $object_id   Object id.
	 * @return array<string, mixed>
	 */
	private function payload( string $object_type, int $object_id ): array {
		if ( 'order' !== $object_type ) {
			return array();
		}
		$loaded = $this->orders->order_payload( $object_id );
		$order  = $loaded->order;
		$skus   = array();
		foreach ( (array) ( $order['line_items'] ?? array() ) as $line ) {
			if ( is_array( $line ) && is_string( $line['sku'] ?? null ) ) {
				$skus[] = $line['sku'];
			}
		}
		$payload = array(
			'order'       => $order,
			'order_state' => $loaded->state,
			'sku_map'     => (object) $this->sku_map->for_skus( $skus ),
		);
		if ( null !== $this->mappings ) {
			$this->batch_mappings ??= array_map( static fn ( array $m ): object => (object) $m, $this->mappings->for_orders() );
			$payload['mappings']    = $this->batch_mappings;
		}
		return $payload;
	}
}

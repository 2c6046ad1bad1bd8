<?php
/**
 * Applies ERP shipments to WooCommerce orders, each once.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Exception\StorageError;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxWriter;

/**
 * One shipment, under a named lock per order (two sidecars, or a replay racing the first apply, never apply it
 * twice): the order must exist and be ours (its correlation id equals the ERP order's external reference); a
 * shipment already in the order's ledger changes nothing, unless its carrier or tracking changed (then those are
 * updated and the customer told once); a new one is added to the ledger, the customer gets a note (what left,
 * carrier, tracking), the staff a note of what is still to ship (backordered), and the status follows the
 * shipment-status mapping. Cancelled, refunded, failed, pending and draft orders are left alone (`order_closed`).
 *
 * @phpstan-import-type Shipment from ShipmentRequests
 * @phpstan-import-type Record from OrderShipments
 * @phpstan-import-type Progress from ShipmentProgress
 */
class ShipmentApplier {

	/** Statuses a shipment is never applied to. */
	public const CLOSED = array( 'cancelled', 'refunded', 'failed', 'pending', 'checkout-draft', 'trash' );

	/**
	 * Builds the applier.
	 *
	 * @param Db                $db       Database (locks).
	 * @param OrderShipments    $orders   WooCommerce side.
	 * @param OrderProgress     $progress Progress reader.
	 * @param ShipmentStatusMap $statuses Status mapping.
	 * @param OutboxWriter      $writer   Correlation ids.
	 * @param Clock             $clock    Time.
	 */
	public function __construct(
		private Db $db,
		private OrderShipments $orders,
		private OrderProgress $progress,
		private ShipmentStatusMap $statuses,
		private OutboxWriter $writer,
		private Clock $clock
	) {
	}

	/**
	 * Applies a validated request.
	 *
	 * @param array{erp: string, shipments: array<int, Shipment>} $request Request.
	 * @return array{results: array<int, array<string, mixed>>}
	 */
	public function apply( array $request ): array {
		$results = array();
		foreach ( $request['shipments'] as $shipment ) {
			$results[] = $this->locked( $request['erp'], $shipment );
		}
		return array( 'results' => $results );
	}

	/**
	 * One shipment under its order's lock.
	 *
	 * @param string               $erp      ERP name.
	 * @param array<string, mixed> $shipment Shipment.
	 * @phpstan-param Shipment $shipment
	 * @return array<string, mixed>
	 * @throws StorageError When the lock cannot be taken.
	 */
	private function locked( string $erp, array $shipment ): array {
		$lock = 'syncline_ship_' . $this->db->prefix() . $shipment['order_id'];
		if ( 1 !== (int) $this->db->value( 'SELECT GET_LOCK(%s, %d)', array( $lock, 20 ) ) ) {
			throw new StorageError( 'Could not lock order ' . (int) $shipment['order_id'] . ' to apply a shipment.' );
		}
		try {
			return $this->one( $erp, $shipment );
		} finally {
			$this->db->value( 'SELECT RELEASE_LOCK(%s)', array( $lock ) );
		}
	}

	/**
	 * One shipment.
	 *
	 * @param string               $erp      ERP name.
	 * @param array<string, mixed> $shipment Shipment.
	 * @phpstan-param Shipment $shipment
	 * @return array<string, mixed>
	 */
	private function one( string $erp, array $shipment ): array {
		$result = array(
			'shipment_id' => $shipment['shipment_id'],
			'order_id'    => $shipment['order_id'],
		);
		$order  = $this->orders->find( $shipment['order_id'] );
		if ( null === $order ) {
			return $result + array( 'outcome' => 'unknown_order' );
		}
		if ( ! hash_equals( $this->writer->correlation_id( 'order', $shipment['order_id'] ), $shipment['correlation_id'] ) ) {
			return $result + array( 'outcome' => 'not_ours' );
		}
		$status = $this->orders->status( $order );
		if ( in_array( $status, self::CLOSED, true ) ) {
			return $result + array(
				'outcome' => 'order_closed',
				'status'  => $status,
			);
		}
		$ledger = $this->orders->ledger( $order );
		$key    = $erp . ':' . $shipment['shipment_id'];
		if ( isset( $ledger[ $key ] ) ) {
			$outcome = $this->update_tracking( $order, $ledger, $key, $shipment );
		} else {
			$outcome = $this->add( $order, $ledger, $key, $shipment, $status );
		}
		$progress = $this->progress->of( $order, $this->orders->ledger( $order ) );
		return $result + array(
			'outcome'   => $outcome,
			'status'    => $this->orders->status( $order ),
			'remaining' => $progress['remaining_units'],
		);
	}

	/**
	 * A shipment seen before: only a changed carrier or tracking is taken (the customer is told once).
	 *
	 * @param \WC_Order             $order    Order.
	 * @param array<string, Record> $ledger   Ledger.
	 * @param string                $key      Ledger key.
	 * @param array<string, mixed>  $shipment Shipment.
	 * @phpstan-param Shipment $shipment
	 */
	private function update_tracking( \WC_Order $order, array $ledger, string $key, array $shipment ): string {
		$record = $ledger[ $key ];
		$same   = $record['carrier'] === $shipment['carrier'] && $record['tracking_number'] === $shipment['tracking_number'] && $record['tracking_url'] === $shipment['tracking_url'];
		if ( $same || null === $shipment['tracking_number'] ) {
			return 'unchanged';
		}
		$record['carrier']         = $shipment['carrier'];
		$record['tracking_number'] = $shipment['tracking_number'];
		$record['tracking_url']    = $shipment['tracking_url'];
		$ledger[ $key ]            = $record;
		/* translators: 1: shipment reference, 2: carrier and tracking number */
		$note = sprintf( __( 'Tracking for shipment %1$s: %2$s', 'syncline' ), $record['ref'], ShipmentText::tracking( $record ) );
		$this->orders->save( $order, $ledger, array( $note ), array(), null );
		return 'tracking_updated';
	}

	/**
	 * A new shipment: ledger, notes, status.
	 *
	 * @param \WC_Order             $order    Order.
	 * @param array<string, Record> $ledger   Ledger.
	 * @param string                $key      Ledger key.
	 * @param array<string, mixed>  $shipment Shipment.
	 * @phpstan-param Shipment $shipment
	 * @param string                $status   Current status.
	 */
	private function add( \WC_Order $order, array $ledger, string $key, array $shipment, string $status ): string {
		$record         = array(
			'ref'             => $shipment['ref'],
			'state'           => $shipment['state'],
			'carrier'         => $shipment['carrier'],
			'tracking_number' => $shipment['tracking_number'],
			'tracking_url'    => $shipment['tracking_url'],
			'shipped_at'      => $shipment['shipped_at'],
			'lines'           => $shipment['lines'],
			'applied_at'      => $this->clock->now(),
		);
		$ledger[ $key ] = $record;
		$progress       = $this->progress->of( $order, $ledger );
		$target         = $this->statuses->target( $status, $progress['complete'], $this->orders->statuses() );
		$private        = array();
		if ( ! $progress['complete'] ) {
			$private[] = ShipmentText::still_to_ship( $progress );
		}
		if ( array() !== $progress['unmatched'] ) {
			$private[] = ShipmentText::unmatched( $shipment['ref'], $progress['unmatched'] );
		}
		$this->orders->save( $order, $ledger, array( ShipmentText::shipped( $record, $progress ) ), $private, $target );
		return 'applied';
	}
}

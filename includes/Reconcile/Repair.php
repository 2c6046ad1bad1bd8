<?php
/**
 * Repair of reconciliation items: the right resync for each repairable one.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxWriter;
use Syncline\Stock\StockTables;

/**
 * Orders (missing in the ERP, no outbox event, an ERP order behind WooCommerce's status): an `order.resync` event
 * each, which the sidecar pushes like any order (only the missing steps). Stock drift: the SKUs' apply state is
 * forgotten and one `stock.resync` is queued, so the next full pull sets them absolutely (ATS − in-flight).
 * Duplicates and validated totals that differ are never repaired automatically: a person decides.
 */
class Repair {

	public const ORDER_TOPIC = 'order.resync';

	/**
	 * Builds the repair.
	 *
	 * @param Db             $db     Database.
	 * @param OutboxWriter   $writer Outbox writer.
	 * @param ReconcileStore $store  Runs and items.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private ReconcileStore $store ) {
	}

	/**
	 * Repairs the open repairable items among `$items`; returns how many were repaired and how many were skipped.
	 *
	 * @param array<int, array<string, mixed>> $items Item views (ReconcileStore).
	 * @param callable(int, int): void|null    $tick  Progress (done, total).
	 * @return array{repaired: int, skipped: int, ids: array<int, int>}
	 */
	public function repair( array $items, ?callable $tick = null ): array {
		$todo = array_values( array_filter( $items, static fn ( $i ) => true === $i['repairable'] && 'open' === $i['state'] ) );
		$skus = array();
		$done = array();
		foreach ( $todo as $n => $item ) {
			if ( 'sku' === $item['object_type'] ) {
				$skus[] = (string) $item['object_key'];
			} else {
				$this->writer->record( self::ORDER_TOPIC, 'order', (int) $item['object_key'] );
			}
			$done[] = (int) $item['id'];
			if ( null !== $tick ) {
				$tick( $n + 1, count( $todo ) );
			}
		}
		if ( array() !== $skus ) {
			$table = $this->db->table( StockTables::STOCK_STATE );
			foreach ( array_chunk( $skus, 500 ) as $chunk ) {
				$this->db->query( "DELETE FROM {$table} WHERE sku IN (" . implode( ', ', array_fill( 0, count( $chunk ), '%s' ) ) . ')', $chunk );
			}
			$this->writer->record( 'stock.resync', 'stock', 0 );
		}
		$this->store->mark_repaired( $done );
		$runs = array();
		foreach ( $todo as $item ) {
			$runs[ (int) $item['run_id'] ] = ( $runs[ (int) $item['run_id'] ] ?? 0 ) + 1;
		}
		foreach ( $runs as $run => $n ) {
			$this->store->add_repaired( $run, $n );
		}
		return array(
			'repaired' => count( $done ),
			'skipped'  => count( $items ) - count( $done ),
			'ids'      => $done,
		);
	}

	/**
	 * Repairs every open repairable item of a run.
	 *
	 * @param int                           $run_id Run id.
	 * @param callable(int, int): void|null $tick   Progress.
	 * @return array{repaired: int, skipped: int, ids: array<int, int>}
	 */
	public function repair_run( int $run_id, ?callable $tick = null ): array {
		$page = $this->store->items_page(
			array(
				'run_id' => $run_id,
				'state'  => 'open',
			),
			1,
			1000000
		);
		return $this->repair( $page['rows'], $tick );
	}
}

<?php
/**
 * Store orders that took WooCommerce stock and that the ERP has not counted yet.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Infrastructure\Db;

/**
 * Rows of {prefix}syncline_inflight: reduced (WooCommerce took the stock), counted (the ERP's stock now includes
 * the order; counted_at is when WordPress learnt it), restored (WooCommerce gave the stock back).
 */
class InFlight {

	public const REDUCED  = 'reduced';
	public const COUNTED  = 'counted';
	public const RESTORED = 'restored';

	/**
	 * Builds the store.
	 *
	 * @param Db         $db    Database.
	 * @param OrderLines $lines Order seam.
	 */
	public function __construct( private Db $db, private OrderLines $lines ) {
	}

	/**
	 * Records a stock reduction: one multi-row INSERT. The lines' `_reduced_stock` are the order's running totals
	 * (WooCommerce fires woocommerce_reduce_order_stock on every wc_reduce_stock_levels() call, even when every
	 * line was already reduced and nothing changed), so they replace the row's quantity rather than add to it. A
	 * re-reduction after a restore reopens the rows.
	 *
	 * @param int   $order_id Order id.
	 * @param mixed $order    The order object WooCommerce passed.
	 */
	public function reduced( int $order_id, $order ): void {
		$lines = $this->lines->reduced( $order );
		if ( $order_id <= 0 || array() === $lines ) {
			return;
		}
		$now    = StockTables::now_ms();
		$values = array();
		$args   = array();
		foreach ( $lines as $sku => $qty ) {
			$values[] = '(%d, %s, %d, %s, %d)';
			array_push( $args, $order_id, (string) $sku, $qty, self::REDUCED, $now );
		}
		$table = $this->db->table( StockTables::INFLIGHT );
		$this->db->query(
			"INSERT INTO {$table} (order_id, sku, qty, state, reduced_at) VALUES " . implode( ', ', $values ) . '
			ON DUPLICATE KEY UPDATE reduced_at = IF(state = \'restored\' OR qty <> VALUES(qty), VALUES(reduced_at), reduced_at),
				counted_at = IF(state = \'restored\', NULL, counted_at), qty = VALUES(qty),
				state = IF(state = \'restored\', VALUES(state), state)',
			$args
		);
	}

	/**
	 * Records a restore (order cancelled). Rows the ERP had already counted need the give-back undone: the ERP
	 * still holds that stock until its own order is cancelled, when the next reading brings it back.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, int> Quantity to take back from WooCommerce per SKU (counted rows).
	 */
	public function restored( int $order_id ): array {
		$table = $this->db->table( StockTables::INFLIGHT );
		$rows  = $this->db->rows( "SELECT sku, qty FROM {$table} WHERE order_id = %d AND state = %s", array( $order_id, self::COUNTED ) );
		$this->db->query( "UPDATE {$table} SET state = %s WHERE order_id = %d", array( self::RESTORED, $order_id ) );
		$out = array();
		foreach ( $rows as $row ) {
			$out[ (string) $row['sku'] ] = (int) $row['qty'];
		}
		return $out;
	}

	/**
	 * Marks an order's reduced rows counted by the ERP (the ack named the step at which the ERP counts it).
	 *
	 * @param int $order_id Order id.
	 */
	public function counted( int $order_id ): int {
		$table = $this->db->table( StockTables::INFLIGHT );
		return $this->db->query(
			"UPDATE {$table} SET state = %s, counted_at = %d WHERE order_id = %d AND state = %s",
			array( self::COUNTED, StockTables::now_ms(), $order_id, self::REDUCED )
		);
	}

	/**
	 * Quantity per SKU counted by the ERP in (after, until] for each SKU.
	 *
	 * @param array<string, array{0: int, 1: int}> $windows SKU => [after, until] in ms.
	 * @return array<string, int>
	 */
	public function counted_between( array $windows ): array {
		if ( array() === $windows ) {
			return array();
		}
		$table = $this->db->table( StockTables::INFLIGHT );
		$min   = min( array_map( static fn ( $w ) => $w[0], $windows ) );
		$marks = implode( ', ', array_fill( 0, count( $windows ), '%s' ) );
		$rows  = $this->db->rows(
			"SELECT sku, qty, counted_at FROM {$table} WHERE sku IN ({$marks}) AND counted_at > %d",
			array_merge( array_map( 'strval', array_keys( $windows ) ), array( $min ) )
		);
		$out   = array();
		foreach ( $rows as $row ) {
			$sku = (string) $row['sku'];
			$at  = (int) $row['counted_at'];
			if ( isset( $windows[ $sku ] ) && $at > $windows[ $sku ][0] && $at <= $windows[ $sku ][1] ) {
				$out[ $sku ] = ( $out[ $sku ] ?? 0 ) + (int) $row['qty'];
			}
		}
		return $out;
	}

	/**
	 * SQL giving what WooCommerce took and a reading at %d (ms) does not reflect yet, for the SKU `%s`: every
	 * net reduction (reduced, or counted after the read, or counted-then-restored) except plain give-backs.
	 */
	public function outstanding_sql(): string {
		$table = $this->db->table( StockTables::INFLIGHT );
		return "(SELECT COALESCE(SUM(qty), 0) FROM {$table} WHERE sku = %s AND counted_at IS NULL AND state = 'reduced')
			+ (SELECT COALESCE(SUM(qty), 0) FROM {$table} WHERE sku = %s AND counted_at > %d)";
	}
}

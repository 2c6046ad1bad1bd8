<?php
/**
 * What WooCommerce holds, read for a reconciliation: orders in a window and managed stock per SKU.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;
use Syncline\Stock\StockTables;

/**
 * Pages of plain rows read with SQL (a reconciliation of 10,000 orders cannot load 10,000 order objects): from
 * WooCommerce's orders table when HPOS is on, else from posts + postmeta; the outbox events of each order; the
 * `_stock` of every product and variation that manages stock, with the units WooCommerce took that the ERP has not
 * counted yet (in-flight rows still `reduced`).
 */
class StoreSnapshot {

	/**
	 * Builds the reader.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Correlation ids.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer ) {
	}

	/**
	 * Orders (not refunds) created in [from, to), id above `after`, lowest id first.
	 *
	 * @param int $from  Unix seconds.
	 * @param int $to    Unix seconds.
	 * @param int $after Last id of the previous page.
	 * @param int $limit Page size.
	 * @return array<int, array{id: int, correlation_id: string, status: string, currency: string, total: string, created_at: int, events: int, open_events: int}>
	 */
	public function orders( int $from, int $to, int $after, int $limit ): array {
		$args = array( gmdate( 'Y-m-d H:i:s', $from ), gmdate( 'Y-m-d H:i:s', $to ), $after, $limit );
		if ( self::hpos() ) {
			$orders = $this->db->prefix() . 'wc_orders';
			$rows   = $this->db->rows(
				"SELECT id, status, currency, total_amount AS total, date_created_gmt AS created
				FROM {$orders} WHERE type = 'shop_order' AND date_created_gmt >= %s AND date_created_gmt < %s AND id > %d
				ORDER BY id LIMIT %d",
				$args
			);
		} else {
			$posts = $this->db->prefix() . 'posts';
			$meta  = $this->db->prefix() . 'postmeta';
			$rows  = $this->db->rows(
				"SELECT p.ID AS id, p.post_status AS status, c.meta_value AS currency, t.meta_value AS total,
				p.post_date_gmt AS created
				FROM {$posts} p
				LEFT JOIN {$meta} t ON t.post_id = p.ID AND t.meta_key = '_order_total'
				LEFT JOIN {$meta} c ON c.post_id = p.ID AND c.meta_key = '_order_currency'
				WHERE p.post_type = 'shop_order' AND p.post_date_gmt >= %s AND p.post_date_gmt < %s AND p.ID > %d
				ORDER BY p.ID LIMIT %d",
				$args
			);
		}
		$events = $this->event_counts( array_map( static fn ( $r ) => (int) $r['id'], $rows ) );
		$out    = array();
		foreach ( $rows as $row ) {
			$id    = (int) $row['id'];
			$out[] = array(
				'id'             => $id,
				'correlation_id' => $this->writer->correlation_id( 'order', $id ),
				'status'         => (string) preg_replace( '/^wc-/', '', (string) $row['status'] ),
				'currency'       => (string) ( $row['currency'] ?? '' ),
				'total'          => (string) ( $row['total'] ?? '0' ),
				'created_at'     => (int) strtotime( (string) $row['created'] . ' UTC' ),
				'events'         => $events[ $id ]['n'] ?? 0,
				'open_events'    => $events[ $id ]['open'] ?? 0,
			);
		}
		return $out;
	}

	/**
	 * SKUs of products and variations that manage stock (not trashed), above `after`, in SKU order.
	 *
	 * @param string $after Last SKU of the previous page.
	 * @param int    $limit Page size.
	 * @return array<int, array{sku: string, stock: int, in_flight: int, last_erp_ats: int|null}>
	 */
	public function stock( string $after, int $limit ): array {
		$meta  = $this->db->prefix() . 'postmeta';
		$posts = $this->db->prefix() . 'posts';
		$rows  = $this->db->rows(
			"SELECT s.meta_value AS sku, MIN(k.meta_value) AS stock FROM {$meta} s
			JOIN {$posts} p ON p.ID = s.post_id AND p.post_type IN ('product', 'product_variation') AND p.post_status <> 'trash'
			JOIN {$meta} m ON m.post_id = s.post_id AND m.meta_key = '_manage_stock' AND m.meta_value = 'yes'
			LEFT JOIN {$meta} k ON k.post_id = s.post_id AND k.meta_key = '_stock'
			WHERE s.meta_key = '_sku' AND s.meta_value <> '' AND s.meta_value > %s
			GROUP BY s.meta_value ORDER BY s.meta_value LIMIT %d",
			array( $after, $limit )
		);
		if ( array() === $rows ) {
			return array();
		}
		$skus     = array_map( static fn ( $r ) => (string) $r['sku'], $rows );
		$marks    = implode( ', ', array_fill( 0, count( $skus ), '%s' ) );
		$inflight = $this->db->table( StockTables::INFLIGHT );
		$state    = $this->db->table( StockTables::STOCK_STATE );
		$taken    = array_column( $this->db->rows( "SELECT sku, SUM(qty) AS qty FROM {$inflight} WHERE state = 'reduced' AND sku IN ({$marks}) GROUP BY sku", $skus ), 'qty', 'sku' );
		$last     = array_column( $this->db->rows( "SELECT sku, last_erp_ats FROM {$state} WHERE sku IN ({$marks})", $skus ), 'last_erp_ats', 'sku' );
		$out      = array();
		foreach ( $rows as $row ) {
			$sku   = (string) $row['sku'];
			$out[] = array(
				'sku'          => $sku,
				'stock'        => (int) round( (float) ( $row['stock'] ?? 0 ) ),
				'in_flight'    => (int) ( $taken[ $sku ] ?? 0 ),
				'last_erp_ats' => isset( $last[ $sku ] ) ? (int) $last[ $sku ] : null,
			);
		}
		return $out;
	}

	/**
	 * Outbox events per order: how many, and how many are still pending or leased.
	 *
	 * @param array<int, int> $ids Order ids.
	 * @return array<int, array{n: int, open: int}>
	 */
	private function event_counts( array $ids ): array {
		if ( array() === $ids ) {
			return array();
		}
		$table = $this->db->table( OutboxSchema::EVENTS );
		$marks = implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
		$out   = array();
		foreach ( $this->db->rows( "SELECT object_id, COUNT(*) AS n, SUM(state IN ('pending', 'leased')) AS open FROM {$table} WHERE object_type = 'order' AND object_id IN ({$marks}) GROUP BY object_id", $ids ) as $row ) {
			$out[ (int) $row['object_id'] ] = array(
				'n'    => (int) $row['n'],
				'open' => (int) $row['open'],
			);
		}
		return $out;
	}

	/** Whether WooCommerce stores orders in its own tables (HPOS). */
	private static function hpos(): bool {
		$util = '\Automattic\WooCommerce\Utilities\OrderUtil';
		return class_exists( $util ) && (bool) call_user_func( array( $util, 'custom_orders_table_usage_is_enabled' ) );
	}
}

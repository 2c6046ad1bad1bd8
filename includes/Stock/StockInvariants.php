<?php
/**
 * WooCommerce's invariants after a stock write, done in bulk.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Infrastructure\Db;

/**
 * After _stock moved: stock status (respecting backorders), variable parents' status, the
 * wc_product_meta_lookup row, the post-meta cache and `woocommerce_updated_product_stock`. One query per step
 * for a whole chunk, instead of WooCommerce's ~47 queries per product. Statuses are computed by the database
 * from the _stock value at that instant, so a checkout that ran meanwhile is taken into account.
 */
class StockInvariants {

	/**
	 * Builds the service.
	 *
	 * @param Db $db Database.
	 */
	public function __construct( private Db $db ) {
	}

	/**
	 * Brings every invariant back for these products.
	 *
	 * @param array<int, int> $ids     Product or variation ids whose _stock changed.
	 * @param array<int, int> $parents Parents of changed variations.
	 */
	public function restore( array $ids, array $parents ): void {
		if ( array() === $ids ) {
			return;
		}
		$this->statuses( $ids );
		$parents = array_values( array_unique( array_filter( $parents ) ) );
		if ( array() !== $parents ) {
			$this->parent_statuses( $parents );
		}
		$this->lookup( array_merge( $ids, $parents ) );
		foreach ( array_merge( $ids, $parents ) as $id ) {
			wp_cache_delete( $id, 'post_meta' );
		}
		foreach ( $ids as $id ) {
			// phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WooCommerce's own hook, fired as WooCommerce does.
			do_action( 'woocommerce_updated_product_stock', $id );
		}
	}

	/**
	 * Placeholders for ids.
	 *
	 * @param array<int, int> $ids Ids.
	 */
	private function marks( array $ids ): string {
		return implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
	}

	/**
	 * _stock_status from _stock and _backorders, in one UPDATE.
	 *
	 * @param array<int, int> $ids Ids.
	 */
	private function statuses( array $ids ): void {
		$meta = $this->db->prefix() . 'postmeta';
		$this->db->query(
			"UPDATE {$meta} st
			JOIN {$meta} sk ON sk.post_id = st.post_id AND sk.meta_key = '_stock'
			LEFT JOIN {$meta} bo ON bo.post_id = st.post_id AND bo.meta_key = '_backorders'
			SET st.meta_value = CASE WHEN CAST(sk.meta_value AS DECIMAL(20,6)) > 0 THEN 'instock'
				WHEN bo.meta_value IN ('yes', 'notify') THEN 'onbackorder' ELSE 'outofstock' END
			WHERE st.meta_key = '_stock_status' AND st.post_id IN ({$this->marks( $ids )})",
			$ids
		);
	}

	/**
	 * A variable product is in stock when any variation is, else on backorder when any is, else out of stock.
	 *
	 * @param array<int, int> $parents Parent ids.
	 */
	private function parent_statuses( array $parents ): void {
		$meta  = $this->db->prefix() . 'postmeta';
		$posts = $this->db->prefix() . 'posts';
		$this->db->query(
			"UPDATE {$meta} st JOIN (
				SELECT v.post_parent AS pid, MAX(s.meta_value = 'instock') AS any_in, MAX(s.meta_value = 'onbackorder') AS any_bo
				FROM {$posts} v JOIN {$meta} s ON s.post_id = v.ID AND s.meta_key = '_stock_status'
				WHERE v.post_type = 'product_variation' AND v.post_parent IN ({$this->marks( $parents )}) GROUP BY v.post_parent
			) c ON c.pid = st.post_id
			SET st.meta_value = CASE WHEN c.any_in = 1 THEN 'instock' WHEN c.any_bo = 1 THEN 'onbackorder' ELSE 'outofstock' END
			WHERE st.meta_key = '_stock_status'",
			$parents
		);
	}

	/**
	 * The wc_product_meta_lookup rows (stock_quantity, stock_status), in one UPDATE.
	 *
	 * @param array<int, int> $ids Ids.
	 */
	private function lookup( array $ids ): void {
		$lookup = $this->db->prefix() . 'wc_product_meta_lookup';
		if ( ! $this->lookup_exists( $lookup ) ) {
			return;
		}
		$meta = $this->db->prefix() . 'postmeta';
		$this->db->query(
			"UPDATE {$lookup} l
			LEFT JOIN {$meta} sk ON sk.post_id = l.product_id AND sk.meta_key = '_stock'
			JOIN {$meta} st ON st.post_id = l.product_id AND st.meta_key = '_stock_status'
			SET l.stock_quantity = IF(sk.meta_value IS NULL OR sk.meta_value = '', l.stock_quantity, CAST(sk.meta_value AS DECIMAL(20,6))),
				l.stock_status = st.meta_value
			WHERE l.product_id IN ({$this->marks( $ids )})",
			$ids
		);
	}

	/**
	 * Whether the lookup table exists (cached for the request).
	 *
	 * @param string $table Table name.
	 */
	private function lookup_exists( string $table ): bool {
		static $exists = array();
		if ( ! isset( $exists[ $table ] ) ) {
			$exists[ $table ] = $this->db->table_exists( $table );
		}
		return $exists[ $table ];
	}
}

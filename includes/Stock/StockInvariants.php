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
		$followers = $this->parent_managed_variations( $ids );
		$touched   = array_values( array_unique( array_merge( $ids, $parents, $followers ) ) );
		$this->lookup( $touched );
		foreach ( $touched as $id ) {
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
	 * _stock_status from _stock and _backorders, in one UPDATE: in stock above WooCommerce's "out of stock
	 * threshold" (woocommerce_notify_no_stock_amount, 0 by default), as WC_Product::validate_props() decides.
	 *
	 * @param array<int, int> $ids Ids.
	 */
	private function statuses( array $ids ): void {
		$meta = $this->db->prefix() . 'postmeta';
		$this->db->query(
			"UPDATE {$meta} st
			JOIN {$meta} sk ON sk.post_id = st.post_id AND sk.meta_key = '_stock'
			LEFT JOIN {$meta} bo ON bo.post_id = st.post_id AND bo.meta_key = '_backorders'
			SET st.meta_value = CASE WHEN CAST(sk.meta_value AS DECIMAL(20,6)) > %f THEN 'instock'
				WHEN bo.meta_value IN ('yes', 'notify') THEN 'onbackorder' ELSE 'outofstock' END
			WHERE st.meta_key = '_stock_status' AND st.post_id IN ({$this->marks( $ids )})",
			array_merge( array( self::no_stock_amount() ), $ids )
		);
	}

	/** WooCommerce's out-of-stock threshold (as WC_Product::validate_props() reads it). */
	private static function no_stock_amount(): float {
		return abs( (float) get_option( 'woocommerce_notify_no_stock_amount', 0 ) );
	}

	/**
	 * A variable product that does not manage stock itself is in stock when any of its published or private
	 * variations is, else on backorder when any is, else out of stock (WooCommerce's sync_stock_status()). One that
	 * manages stock keeps the status of its own stock, as WooCommerce's validate_props() leaves it.
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
				WHERE v.post_type = 'product_variation' AND v.post_status IN ('publish', 'private')
					AND v.post_parent IN ({$this->marks( $parents )}) GROUP BY v.post_parent
			) c ON c.pid = st.post_id
			LEFT JOIN {$meta} ms ON ms.post_id = st.post_id AND ms.meta_key = '_manage_stock'
			SET st.meta_value = CASE WHEN c.any_in = 1 THEN 'instock' WHEN c.any_bo = 1 THEN 'onbackorder' ELSE 'outofstock' END
			WHERE st.meta_key = '_stock_status' AND (ms.meta_value IS NULL OR ms.meta_value <> 'yes')",
			$parents
		);
	}

	/**
	 * Variations whose stock the variable parent manages (their _manage_stock is not 'yes') take the parent's
	 * status when the parent's stock changed (WooCommerce's sync_managed_variation_stock_status()).
	 *
	 * @param array<int, int> $ids Changed product ids (some may be variable parents).
	 * @return array<int, int> The variations whose status was set.
	 */
	private function parent_managed_variations( array $ids ): array {
		$meta      = $this->db->prefix() . 'postmeta';
		$posts     = $this->db->prefix() . 'posts';
		$followers = array_map(
			'intval',
			array_column(
				$this->db->rows(
					"SELECT v.ID FROM {$posts} v
					JOIN {$meta} pm ON pm.post_id = v.post_parent AND pm.meta_key = '_manage_stock' AND pm.meta_value = 'yes'
					JOIN {$meta} vm ON vm.post_id = v.ID AND vm.meta_key = '_manage_stock' AND vm.meta_value <> 'yes'
					WHERE v.post_type = 'product_variation' AND v.post_status IN ('publish', 'private') AND v.post_parent IN ({$this->marks( $ids )})",
					$ids
				),
				'ID'
			)
		);
		if ( array() === $followers ) {
			return array();
		}
		$this->db->query(
			"UPDATE {$meta} st JOIN {$posts} v ON v.ID = st.post_id
			JOIN {$meta} ps ON ps.post_id = v.post_parent AND ps.meta_key = '_stock_status'
			SET st.meta_value = ps.meta_value
			WHERE st.meta_key = '_stock_status' AND st.post_id IN ({$this->marks( $followers )})",
			$followers
		);
		return $followers;
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

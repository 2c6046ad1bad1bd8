<?php
/**
 * Resolves SKUs to WooCommerce products and variations in one query.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Infrastructure\Db;

/**
 * Reads products straight from posts/postmeta (both WooCommerce and the test stand-in store them there).
 */
class StoreProducts {

	/**
	 * Builds the reader.
	 *
	 * @param Db $db Database.
	 */
	public function __construct( private Db $db ) {
	}

	/**
	 * Products by SKU: id, parent, whether stock is managed, whether a _stock row exists, backorders.
	 *
	 * @param array<int, string> $skus SKUs.
	 * @return array<string, array{id: int, parent: int, managed: bool, has_stock: bool, backorders: string}>
	 */
	public function by_sku( array $skus ): array {
		if ( array() === $skus ) {
			return array();
		}
		$meta  = $this->db->prefix() . 'postmeta';
		$posts = $this->db->prefix() . 'posts';
		$marks = implode( ', ', array_fill( 0, count( $skus ), '%s' ) );
		$rows  = $this->db->rows(
			"SELECT s.post_id, s.meta_value AS sku, p.post_parent, m.meta_value AS manage, b.meta_value AS backorders, k.meta_id AS stock_id
			FROM {$meta} s
			JOIN {$posts} p ON p.ID = s.post_id AND p.post_type IN ('product', 'product_variation') AND p.post_status <> 'trash'
			LEFT JOIN {$meta} m ON m.post_id = s.post_id AND m.meta_key = '_manage_stock'
			LEFT JOIN {$meta} b ON b.post_id = s.post_id AND b.meta_key = '_backorders'
			LEFT JOIN {$meta} k ON k.post_id = s.post_id AND k.meta_key = '_stock'
			WHERE s.meta_key = '_sku' AND s.meta_value IN ({$marks}) ORDER BY s.post_id",
			$skus
		);
		$out   = array();
		foreach ( $rows as $row ) {
			$sku = (string) $row['sku'];
			if ( isset( $out[ $sku ] ) ) {
				continue;
			}
			$out[ $sku ] = array(
				'id'         => (int) $row['post_id'],
				'parent'     => (int) $row['post_parent'],
				'managed'    => 'yes' === $row['manage'],
				'has_stock'  => null !== $row['stock_id'],
				'backorders' => (string) ( $row['backorders'] ?? 'no' ),
			);
		}
		return $out;
	}

	/**
	 * Every SKU in the store (for the missing-in-ERP report).
	 *
	 * @return array<int, string>
	 */
	public function all_skus(): array {
		$meta  = $this->db->prefix() . 'postmeta';
		$posts = $this->db->prefix() . 'posts';
		$rows  = $this->db->rows(
			"SELECT s.meta_value AS sku FROM {$meta} s JOIN {$posts} p ON p.ID = s.post_id
			WHERE s.meta_key = %s AND s.meta_value <> '' AND p.post_type IN ('product', 'product_variation') AND p.post_status <> 'trash'",
			array( '_sku' )
		);
		return array_map( static fn ( $r ) => (string) $r['sku'], $rows );
	}

	/**
	 * SKUs of store products and variations that manage stock and have no ERP reading at or after `$since_ms` in
	 * the stock state (no row, or an older last_read_at), ordered by SKU. Products created after `$since_ms` are
	 * left for the next full pull (the pull could not have seen them). Drafts count, trashed products do not.
	 *
	 * @param int $since_ms Unix milliseconds of the full pull's first reading.
	 * @return array<int, string>
	 */
	public function managed_not_read_since( int $since_ms ): array {
		$meta    = $this->db->prefix() . 'postmeta';
		$posts   = $this->db->prefix() . 'posts';
		$state   = $this->db->table( StockTables::STOCK_STATE );
		$collate = $this->state_sku_collation( $state );
		$rows    = $this->db->rows(
			"SELECT DISTINCT s.meta_value AS sku FROM {$meta} s
			JOIN {$posts} p ON p.ID = s.post_id AND p.post_type IN ('product', 'product_variation') AND p.post_status <> 'trash'
			JOIN {$meta} m ON m.post_id = s.post_id AND m.meta_key = '_manage_stock' AND m.meta_value = 'yes'
			LEFT JOIN {$state} st ON st.sku = {$collate} AND st.last_read_at >= %d
			WHERE s.meta_key = '_sku' AND s.meta_value <> '' AND st.sku IS NULL AND p.post_date_gmt <= %s
			ORDER BY sku",
			array( $since_ms, gmdate( 'Y-m-d H:i:s', intdiv( $since_ms, 1000 ) ) )
		);
		return array_map( static fn ( $r ) => (string) $r['sku'], $rows );
	}

	/**
	 * `s.meta_value` converted to the state table's SKU collation: postmeta may predate the site's current default
	 * collation, and comparing two columns of different collations is an error in MySQL/MariaDB.
	 *
	 * @param string $state State table.
	 */
	private function state_sku_collation( string $state ): string {
		$row = $this->db->row(
			'SELECT CHARACTER_SET_NAME AS cs, COLLATION_NAME AS co FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = %s',
			array( $state, 'sku' )
		);
		$cs  = (string) ( $row['cs'] ?? '' );
		$co  = (string) ( $row['co'] ?? '' );
		if ( 1 !== preg_match( '/^[A-Za-z0-9_]+$/', $cs ) || 1 !== preg_match( '/^[A-Za-z0-9_]+$/', $co ) ) {
			return 's.meta_value';
		}
		return "CONVERT(s.meta_value USING {$cs}) COLLATE {$co}";
	}
}

<?php
/**
 * WooCommerce SKU → ERP product reference.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;

/**
 * The explicit SKU mappings an operator made (unmapped SKUs are matched by the engine as they are).
 */
class SkuMap {

	/**
	 * Builds the map.
	 *
	 * @param Db    $db    Database.
	 * @param Clock $clock Time.
	 */
	public function __construct( private Db $db, private Clock $clock ) {
	}

	/**
	 * Sets (or replaces) one mapping.
	 *
	 * @param string $wc_sku  WooCommerce SKU.
	 * @param string $erp_ref ERP product reference.
	 */
	public function set( string $wc_sku, string $erp_ref ): void {
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		$this->db->query(
			"INSERT INTO {$table} (wc_sku, erp_ref, updated_at, updated_by) VALUES (%s, %s, %d, %d)
			ON DUPLICATE KEY UPDATE erp_ref = VALUES(erp_ref), updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)",
			array( $wc_sku, $erp_ref, $this->clock->now(), get_current_user_id() )
		);
	}

	/**
	 * Removes one mapping.
	 *
	 * @param string $wc_sku WooCommerce SKU.
	 */
	public function delete( string $wc_sku ): void {
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		$this->db->query( "DELETE FROM {$table} WHERE wc_sku = %s", array( $wc_sku ) );
	}

	/**
	 * Mappings for some SKUs.
	 *
	 * @param array<int, string> $skus SKUs.
	 * @return array<string, string> SKU → ERP ref (only the mapped ones).
	 */
	public function for_skus( array $skus ): array {
		$skus = array_values( array_unique( array_filter( $skus, static fn ( $s ) => '' !== $s ) ) );
		if ( array() === $skus ) {
			return array();
		}
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		$marks = implode( ',', array_fill( 0, count( $skus ), '%s' ) );
		$rows  = $this->db->rows( "SELECT wc_sku, erp_ref FROM {$table} WHERE wc_sku IN ({$marks})", $skus );
		return array_column( $rows, 'erp_ref', 'wc_sku' );
	}

	/**
	 * Every mapping, by SKU.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	public function all(): array {
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		return $this->db->rows( "SELECT wc_sku, erp_ref, updated_at, updated_by FROM {$table} ORDER BY wc_sku LIMIT 5000" );
	}
}

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
use Syncline\Infrastructure\SqlPage;

/**
 * The explicit SKU mappings an operator made (unmapped SKUs are matched by the engine as they are).
 */
class SkuMap {

	/**
	 * Builds the map.
	 *
	 * @param Db            $db    Database.
	 * @param Clock         $clock Time.
	 * @param EventLog|null $log   Audit trail: every change is recorded (who, when, old → new) as event 0, kind sku_mapping.
	 */
	public function __construct( private Db $db, private Clock $clock, private ?EventLog $log = null ) {
	}

	/** Audit kind of mapping changes in the event log. */
	public const AUDIT_KIND = 'sku_mapping';

	/** Longest SKU or ERP reference, in characters (the columns' size). */
	public const MAX_LEN = 191;

	/**
	 * A SKU's characters: UTF-8 text without control characters (a Validator pattern; the length is MAX_LEN). `\z`,
	 * not `$`, which would let one trailing newline through.
	 */
	public const PATTERN = '/^[^\x00-\x1F\x7F]+\z/u';

	/**
	 * Why a (trimmed) SKU or ERP reference cannot be used, or null when it can: the one SKU rule, for single
	 * mappings, CSV imports, the CLI (`wp syncline map sku`, `sync products --skus`), the ATS rules' SKUs and the
	 * sidecar's stock writes (the sidecar's zod side: src/canonical/sku.ts).
	 *
	 * @param string $value Trimmed value.
	 */
	public static function problem( string $value ): ?string {
		if ( '' === $value ) {
			return __( 'must not be empty', 'syncline' );
		}
		if ( 1 !== preg_match( self::PATTERN, $value ) ) {
			return __( 'must be UTF-8 text without control characters', 'syncline' );
		}
		if ( mb_strlen( $value, 'UTF-8' ) > self::MAX_LEN ) {
			/* translators: %d: maximum length */
			return sprintf( __( 'must be at most %d characters', 'syncline' ), self::MAX_LEN );
		}
		return null;
	}

	/**
	 * Sets (or replaces) one mapping.
	 *
	 * @param string $wc_sku  WooCommerce SKU.
	 * @param string $erp_ref ERP product reference.
	 */
	public function set( string $wc_sku, string $erp_ref ): void {
		$before = $this->for_skus( array( $wc_sku ) )[ $wc_sku ] ?? null;
		$table  = $this->db->table( OutboxSchema::SKU_MAP );
		$this->db->query(
			"INSERT INTO {$table} (wc_sku, erp_ref, updated_at, updated_by) VALUES (%s, %s, %d, %d)
			ON DUPLICATE KEY UPDATE erp_ref = VALUES(erp_ref), updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)",
			array( $wc_sku, $erp_ref, $this->clock->now(), get_current_user_id() )
		);
		if ( $before !== $erp_ref ) {
			$this->audit( $wc_sku, $before, $erp_ref );
		}
	}

	/**
	 * Records one change in the audit trail.
	 *
	 * @param string      $wc_sku WooCommerce SKU.
	 * @param string|null $old    Previous ERP ref (null: none).
	 * @param string|null $new    New ERP ref (null: removed).
	 */
	private function audit( string $wc_sku, ?string $old, ?string $new ): void {
		$this->log?->add(
			0,
			self::AUDIT_KIND,
			$wc_sku . ': ' . ( $old ?? '∅' ) . ' → ' . ( $new ?? '∅' ),
			array(
				'wc_sku' => $wc_sku,
				'old'    => $old,
				'new'    => $new,
			)
		);
	}

	/**
	 * Removes one mapping.
	 *
	 * @param string $wc_sku WooCommerce SKU.
	 */
	public function delete( string $wc_sku ): void {
		$before = $this->for_skus( array( $wc_sku ) )[ $wc_sku ] ?? null;
		$table  = $this->db->table( OutboxSchema::SKU_MAP );
		$this->db->query( "DELETE FROM {$table} WHERE wc_sku = %s", array( $wc_sku ) );
		if ( null !== $before ) {
			$this->audit( $wc_sku, $before, null );
		}
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
	 * Saves many mappings (a CSV import); each change gets its audit line (set()).
	 *
	 * @param array<string, string> $pairs wc_sku → erp_ref.
	 * @return int How many rows were saved (changed or not).
	 */
	public function save_many( array $pairs ): int {
		foreach ( $pairs as $sku => $ref ) {
			$this->set( (string) $sku, $ref );
		}
		return count( $pairs );
	}

	/**
	 * One page of mappings (by SKU unless $order says otherwise), filtered and paged in SQL (the admin list).
	 *
	 * @param string $search   Part of a SKU or ERP reference ('' for all), case-insensitive (the columns' collation).
	 * @param int    $page     1-based page.
	 * @param int    $per_page Page size.
	 * @param string $order    ORDER BY ending with the SKU, the key (SortArgs::SKU_MAP; indexes erp_ref, updated_at).
	 * @return array{total: int, rows: array<int, array<string, mixed>>}
	 */
	public function page( string $search, int $page, int $per_page, string $order = 'wc_sku ASC' ): array {
		$table  = $this->db->table( OutboxSchema::SKU_MAP );
		$where  = '1 = %d';
		$params = array( 1 );
		$search = trim( $search );
		if ( '' !== $search ) {
			$like   = SqlPage::contains( $search );
			$where  = '(wc_sku LIKE %s OR erp_ref LIKE %s)';
			$params = array( $like, $like );
		}
		return SqlPage::read( $this->db, 'wc_sku, erp_ref, updated_at, updated_by', $table, $where, $order, $params, $page, $per_page, 'wc_sku' );
	}

	/**
	 * Every mapping, by SKU (export, CLI), read in keyset batches so no cap hides mappings.
	 *
	 * @param int $batch Rows per statement.
	 * @return array<int, array{wc_sku: string, erp_ref: string}>
	 */
	public function all( int $batch = 5000 ): array {
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		$out   = array();
		$after = '';
		do {
			$rows = $this->db->rows( "SELECT wc_sku, erp_ref FROM {$table} WHERE wc_sku > %s ORDER BY wc_sku LIMIT %d", array( $after, $batch ) );
			foreach ( $rows as $row ) {
				$out[] = array(
					'wc_sku'  => (string) $row['wc_sku'],
					'erp_ref' => (string) $row['erp_ref'],
				);
			}
			$read  = count( $rows );
			$after = 0 === $read ? $after : (string) $rows[ $read - 1 ]['wc_sku'];
		} while ( $read === $batch );
		return $out;
	}
}

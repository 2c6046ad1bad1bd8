<?php
/**
 * The SKU map (WooCommerce SKU → ERP product reference) with an audit line per change.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\SkuMap;

/**
 * Writes mappings and records who changed what, when, old → new, in the event log (event_id 0, kind
 * `sku_mapping`), so the audit needs no table of its own.
 */
final class SkuMapStore {

	public const AUDIT_KIND = SkuMap::AUDIT_KIND;
	public const MAX_LEN    = SkuMap::MAX_LEN;

	/**
	 * Builds the store.
	 *
	 * @param Db     $db  The database proxy (reads).
	 * @param SkuMap $map The core's SKU map (writes).
	 */
	public function __construct( private Db $db, private SkuMap $map ) {
	}

	/**
	 * Saves many mappings; writes an audit line (event 0, kind sku_mapping) for each one that changed.
	 * The user is the current one (EventLog and SkuMap record get_current_user_id()).
	 *
	 * @param array<string, string> $pairs wc_sku → erp_ref.
	 * @return int How many rows were saved (changed or not).
	 */
	public function save_many( array $pairs ): int {
		$saved = 0;
		foreach ( $pairs as $sku => $ref ) {
			// SkuMap::set() records the audit line (who, when, old → new) when the value changes.
			$this->map->set( (string) $sku, $ref );
			++$saved;
		}
		return $saved;
	}

	/**
	 * Every mapping, ordered by SKU, for export.
	 *
	 * @return array<int, array{wc_sku: string, erp_ref: string}>
	 */
	public function all(): array {
		$map  = $this->db->table( 'sku_map' );
		$rows = $this->db->rows( "SELECT wc_sku, erp_ref FROM {$map} ORDER BY wc_sku LIMIT %d", array( 100000 ) );
		return array_map(
			static fn( array $r ): array => array(
				'wc_sku'  => (string) $r['wc_sku'],
				'erp_ref' => (string) $r['erp_ref'],
			),
			$rows
		);
	}

	/**
	 * The latest audit lines, newest first.
	 *
	 * @param int $limit How many.
	 * @return array<int, array<string, mixed>>
	 */
	public function history( int $limit ): array {
		$log  = $this->db->table( 'event_log' );
		$rows = $this->db->rows( "SELECT id, at, details, user_id FROM {$log} WHERE event_id = 0 AND kind = %s ORDER BY id DESC LIMIT %d", array( self::AUDIT_KIND, $limit ) );
		$out  = array();
		foreach ( $rows as $row ) {
			$d     = json_decode( (string) $row['details'], true );
			$d     = is_array( $d ) ? $d : array();
			$user  = (int) $row['user_id'] > 0 ? get_userdata( (int) $row['user_id'] ) : false;
			$out[] = array(
				'wc_sku'      => (string) ( $d['wc_sku'] ?? '' ),
				'old_erp_ref' => isset( $d['old'] ) ? (string) $d['old'] : null,
				'new_erp_ref' => isset( $d['new'] ) ? (string) $d['new'] : null,
				'user'        => $user ? $user->user_login : null,
				'at'          => (int) $row['at'],
			);
		}
		return $out;
	}
}

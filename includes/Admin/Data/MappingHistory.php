<?php
/**
 * The one history of mapping changes (SKU map and the other mappings).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\SqlPage;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\SkuMap;

/**
 * Reads the audit lines SkuMap and Mappings write to the event log (event 0, kinds sku_mapping and mapping), newest
 * first, filtered and paged in SQL (index event_kind: event_id, kind, id). Both history routes read it.
 */
final class MappingHistory {

	/** The type of SKU map lines. */
	public const SKU = 'sku';

	/**
	 * Builds the reader.
	 *
	 * @param Db $db Database.
	 */
	public function __construct( private Db $db ) {
	}

	/**
	 * One page of changes, newest first.
	 *
	 * @param string|null $type     'sku', one of Mappings::TYPES, or null for every type.
	 * @param int         $page     1-based page.
	 * @param int         $per_page Page size.
	 * @param string      $order    ORDER BY ending with the log id (SortArgs::HISTORY).
	 * @return array{total: int, items: array<int, array{id: int, type: string, wc_key: string, old: string|null, new: string|null, user: string|null, at: int}>}
	 */
	public function page( ?string $type, int $page, int $per_page, string $order = 'id DESC' ): array {
		list( $where, $params ) = $this->where( $type );
		$log                    = $this->db->table( OutboxSchema::EVENT_LOG );
		$read                   = SqlPage::read( $this->db, 'id, at, kind, details, user_id', $log, $where, $order, $params, $page, $per_page, 'id' );
		return array(
			'total' => $read['total'],
			'items' => array_map( array( self::class, 'line' ), $read['rows'] ),
		);
	}

	/**
	 * The WHERE clause of one type.
	 *
	 * @param string|null $type Type filter.
	 * @return array{0: string, 1: array<int, string|int>}
	 */
	private function where( ?string $type ): array {
		if ( self::SKU === $type ) {
			return array( 'event_id = %d AND kind = %s', array( 0, SkuMap::AUDIT_KIND ) );
		}
		if ( null === $type ) {
			return array( 'event_id = %d AND kind IN (%s, %s)', array( 0, Mappings::AUDIT_KIND, SkuMap::AUDIT_KIND ) );
		}
		return array( "event_id = %d AND kind = %s AND JSON_UNQUOTE(JSON_EXTRACT(details, '$.type')) = %s", array( 0, Mappings::AUDIT_KIND, $type ) );
	}

	/**
	 * One audit line for the admin screen.
	 *
	 * @param array<string, mixed> $row Log row.
	 * @return array{id: int, type: string, wc_key: string, old: string|null, new: string|null, user: string|null, at: int}
	 */
	private static function line( array $row ): array {
		$d    = json_decode( (string) $row['details'], true );
		$d    = is_array( $d ) ? $d : array();
		$sku  = SkuMap::AUDIT_KIND === $row['kind'];
		$user = (int) $row['user_id'] > 0 ? get_userdata( (int) $row['user_id'] ) : false;
		return array(
			'id'     => (int) $row['id'],
			'type'   => $sku ? self::SKU : (string) ( $d['type'] ?? '' ),
			'wc_key' => (string) ( $sku ? ( $d['wc_sku'] ?? '' ) : ( $d['wc_key'] ?? '' ) ),
			'old'    => isset( $d['old'] ) ? (string) $d['old'] : null,
			'new'    => isset( $d['new'] ) ? (string) $d['new'] : null,
			'user'   => $user ? $user->user_login : null,
			'at'     => (int) $row['at'],
		);
	}
}

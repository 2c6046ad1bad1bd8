<?php
/**
 * Reads the exception queue (events in state needs_human) for the admin screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\SqlPage;

/**
 * Search and filters are pushed into SQL so the list stays fast with tens of thousands of exceptions
 * (the claim index on state serves the state filter; the page is LIMITed).
 */
final class ExceptionQuery {

	/**
	 * Builds the query service.
	 *
	 * @param Db $db The database proxy.
	 */
	public function __construct( private Db $db ) {
	}

	/** The columns one exception row shows of each event. */
	private const COLUMNS = 'id, topic, state, object_type, object_id, correlation_id, attempts, last_error_code, last_error_message, created_at, updated_at';

	/** How one row's events are grouped (index state_object: state, object_type, object_id, last_error_code). */
	private const GROUP = 'object_type, object_id, last_error_code';

	/**
	 * One page of exception rows, one per (object, reason), in $order (by default the group with the newest event first), and the number
	 * of rows. Filters pick events; a row shows every event of its group (all of them need the same fix).
	 *
	 * @param string $search        Order id, correlation id, or text of the error (SKU).
	 * @param string $code          Reason code ('' for all).
	 * @param int    $min_age_hours Only events created at least this long ago.
	 * @param int    $page          1-based page.
	 * @param int    $per_page      Page size.
	 * @param int    $now           Unix time.
	 * @param string $order         ORDER BY over the groups (SortArgs::EXCEPTIONS: `newest` is the group's newest
	 *                              event id, `code` its reason; the default: newest group first).
	 * @return array{items: array<int, array<string, mixed>>, total: int}
	 */
	public function page( string $search, string $code, int $min_age_hours, int $page, int $per_page, int $now, string $order = 'newest DESC' ): array {
		list( $where, $params ) = $this->where( $search, $code, $min_age_hours, $now );
		$table                  = $this->db->table( 'events' );
		$group                  = self::GROUP;
		$total                  = (int) $this->db->value( "SELECT COUNT(*) FROM (SELECT 1 FROM {$table} WHERE {$where} GROUP BY {$group}) g", $params );
		$groups                 = $this->db->rows(
			"SELECT object_type, object_id, COALESCE(last_error_code, '') AS code, MAX(id) AS newest FROM {$table}
			 WHERE {$where} GROUP BY {$group} ORDER BY {$order} LIMIT %d OFFSET %d",
			array_merge( $params, array( $per_page, ( $page - 1 ) * $per_page ) )
		);
		$keys                   = array_map( static fn( array $g ): ExceptionGroup => new ExceptionGroup( (string) $g['object_type'], (int) $g['object_id'], (string) $g['code'] ), $groups );
		$events                 = $this->events_of( $keys );
		$items                  = array();
		foreach ( $keys as $key ) {
			if ( isset( $events[ $key->key() ][0] ) ) { // Empty only when its events were retried between the two reads.
				$items[] = EventRows::group( $key, $events[ $key->key() ], $now );
			}
		}
		return array(
			'items' => $items,
			'total' => $total,
		);
	}

	/**
	 * The exception events (state needs_human) of some groups, newest first, by group key.
	 *
	 * @param array<int, ExceptionGroup> $groups The groups.
	 * @return array<string, array<int, array<string, mixed>>>
	 */
	public function events_of( array $groups ): array {
		if ( array() === $groups ) {
			return array();
		}
		$table   = $this->db->table( 'events' );
		$clauses = array();
		$params  = array( 'needs_human' );
		foreach ( $groups as $group ) {
			$clauses[] = "(object_type = %s AND object_id = %d AND COALESCE(last_error_code, '') = %s)";
			array_push( $params, $group->object_type, $group->object_id, $group->code );
		}
		$columns = self::COLUMNS;
		$rows    = $this->db->rows( "SELECT {$columns} FROM {$table} WHERE state = %s AND (" . implode( ' OR ', $clauses ) . ') ORDER BY id DESC', $params );
		$out     = array();
		foreach ( $rows as $row ) {
			$out[ ( new ExceptionGroup( (string) $row['object_type'], (int) $row['object_id'], (string) ( $row['last_error_code'] ?? '' ) ) )->key() ][] = $row;
		}
		return $out;
	}

	/**
	 * Reason codes in the queue with their counts.
	 *
	 * @return array<int, array{code: string, count: int}>
	 */
	public function codes(): array {
		$table = $this->db->table( 'events' );
		$rows  = $this->db->rows( "SELECT COALESCE(last_error_code, '') AS code, COUNT(*) AS n FROM {$table} WHERE state = %s GROUP BY last_error_code ORDER BY n DESC", array( 'needs_human' ) );
		$out   = array();
		foreach ( $rows as $row ) {
			$out[] = array(
				'code'  => (string) $row['code'],
				'count' => (int) $row['n'],
			);
		}
		return $out;
	}

	/**
	 * The WHERE clause and its parameters.
	 *
	 * @param string $search        Free text.
	 * @param string $code          Reason code.
	 * @param int    $min_age_hours Minimum age.
	 * @param int    $now           Unix time.
	 * @return array{0: string, 1: array<int, string|int>}
	 */
	private function where( string $search, string $code, int $min_age_hours, int $now ): array {
		$where  = array( 'state = %s' );
		$params = array( 'needs_human' );
		if ( '' !== $code ) {
			$where[]  = 'last_error_code = %s';
			$params[] = $code;
		}
		if ( $min_age_hours > 0 ) {
			$where[]  = 'created_at <= %d';
			$params[] = $now - $min_age_hours * 3600;
		}
		$search = trim( $search );
		if ( '' !== $search ) {
			$like    = SqlPage::contains( $search );
			$clauses = array( 'correlation_id = %s', 'last_error_message LIKE %s', 'last_error_details LIKE %s' );
			array_push( $params, $search, $like, $like );
			$number = ltrim( $search, '#' );
			if ( ctype_digit( $number ) ) {
				$clauses[] = 'object_id = %d';
				$params[]  = (int) $number;
			}
			$where[] = '(' . implode( ' OR ', $clauses ) . ')';
		}
		return array( implode( ' AND ', $where ), $params );
	}
}

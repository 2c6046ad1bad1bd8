<?php
/**
 * One page of a SQL list: the rows and the number of all matching rows.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * Every admin list is filtered and paged in SQL (never in PHP): COUNT(*) over the same FROM … WHERE, then the page
 * with LIMIT/OFFSET. The list's indexes (OutboxSchema) keep both cheap at 100,000 rows.
 */
final class SqlPage {

	/**
	 * Reads one page. With $key (the table's primary key), the page's keys are found first on the index alone and
	 * only those rows are read (a deferred join): a deep page of a table with long columns (the event log's details)
	 * does not read every skipped row.
	 *
	 * @param Db                     $db       Database.
	 * @param string                 $columns  SELECT list.
	 * @param string                 $table    Table.
	 * @param string                 $where    WHERE condition (placeholders for $params).
	 * @param string                 $order    ORDER BY list.
	 * @param array<int, int|string> $params   WHERE parameters.
	 * @param int                    $page     1-based page.
	 * @param int                    $per_page Page size.
	 * @param string|null            $key      Primary key column for a deferred join (null: a plain LIMIT/OFFSET).
	 * @return array{total: int, rows: array<int, array<string, mixed>>}
	 */
	public static function read( Db $db, string $columns, string $table, string $where, string $order, array $params, int $page, int $per_page, ?string $key = null ): array {
		$limit = array_merge( $params, array( $per_page, ( max( 1, $page ) - 1 ) * $per_page ) );
		$sql   = null === $key
			? "SELECT {$columns} FROM {$table} WHERE {$where} ORDER BY {$order} LIMIT %d OFFSET %d"
			: "SELECT {$columns} FROM {$table} INNER JOIN (SELECT {$key} FROM {$table} WHERE {$where} ORDER BY {$order} LIMIT %d OFFSET %d) page USING ({$key}) ORDER BY {$order}";
		return array(
			'total' => (int) $db->value( "SELECT COUNT(*) FROM {$table} WHERE {$where}", $params ),
			'rows'  => $db->rows( $sql, $limit ),
		);
	}

	/**
	 * An ORDER BY list: the sorted expressions, then the unique tie-breaker, all in one direction (an expression
	 * written `-expr` runs the other way), so two rows never compare equal and a row is on exactly one page whatever
	 * the sort.
	 *
	 * @param array<int, string> $columns SQL expressions (from a whitelist, never from the request).
	 * @param string             $tie     Unique column (the table's key) that breaks ties.
	 * @param bool               $desc    Descending.
	 */
	public static function order( array $columns, string $tie, bool $desc ): string {
		$out = array();
		foreach ( array_unique( array_merge( $columns, array( $tie ) ) ) as $column ) {
			$reverse = str_starts_with( $column, '-' );
			$out[]   = ( $reverse ? substr( $column, 1 ) : $column ) . ( $desc !== $reverse ? ' DESC' : ' ASC' );
		}
		return implode( ', ', $out );
	}

	/**
	 * A LIKE pattern matching values that contain $text (its own % and _ taken literally).
	 *
	 * @param string $text Searched text.
	 */
	public static function contains( string $text ): string {
		return '%' . addcslashes( $text, '_%\\' ) . '%';
	}
}

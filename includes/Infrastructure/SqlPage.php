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
	 * Reads one page.
	 *
	 * @param Db                     $db       Database.
	 * @param string                 $columns  SELECT list.
	 * @param string                 $from     `table WHERE …` (placeholders for $params).
	 * @param string                 $order    ORDER BY list.
	 * @param array<int, int|string> $params   WHERE parameters.
	 * @param int                    $page     1-based page.
	 * @param int                    $per_page Page size.
	 * @return array{total: int, rows: array<int, array<string, mixed>>}
	 */
	public static function read( Db $db, string $columns, string $from, string $order, array $params, int $page, int $per_page ): array {
		return array(
			'total' => (int) $db->value( "SELECT COUNT(*) FROM {$from}", $params ),
			'rows'  => $db->rows( "SELECT {$columns} FROM {$from} ORDER BY {$order} LIMIT %d OFFSET %d", array_merge( $params, array( $per_page, ( max( 1, $page ) - 1 ) * $per_page ) ) ),
		);
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

<?php
/**
 * $wpdb behind a thin proxy: every query is prepared here and every failure becomes an exception.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

use Syncline\Exception\StorageError;

/**
 * Prepared queries against the WordPress database. Table names are built here, never from input.
 *
 * phpcs:disable WordPress.DB.PreparedSQL.NotPrepared -- SQL reaching $wpdb went through prepare() in this class.
 * phpcs:disable WordPress.DB.DirectDatabaseQuery -- the outbox is Syncline's own tables, never cached.
 */
class Db {

	/**
	 * Builds the proxy.
	 *
	 * @param \wpdb $wpdb The WordPress database object.
	 */
	public function __construct( private \wpdb $wpdb ) {
	}

	/**
	 * The full name of one of Syncline's tables, e.g. `wp_syncline_events` for `events`.
	 *
	 * @param string $short events|nonces|sku_map|event_log.
	 */
	public function table( string $short ): string {
		return $this->wpdb->prefix . 'syncline_' . $short;
	}

	/**
	 * The WordPress table prefix.
	 */
	public function prefix(): string {
		return $this->wpdb->prefix;
	}

	/**
	 * The table options for CREATE TABLE (charset and collation).
	 */
	public function charset_collate(): string {
		return $this->wpdb->get_charset_collate();
	}

	/**
	 * Fills placeholders (%d, %s, %f, %i) with $wpdb->prepare().
	 *
	 * @param string            $sql  SQL with placeholders.
	 * @param array<int, mixed> $args Values.
	 */
	public function prepare( string $sql, array $args = array() ): string {
		if ( array() === $args ) {
			return $sql;
		}
		return (string) $this->wpdb->prepare( $sql, $args );
	}

	/**
	 * Runs a statement; returns the number of affected rows.
	 *
	 * @param string            $sql  SQL with placeholders.
	 * @param array<int, mixed> $args Values.
	 * @throws StorageError When the database refuses the statement.
	 */
	public function query( string $sql, array $args = array() ): int {
		$result = $this->wpdb->query( $this->prepare( $sql, $args ) );
		if ( false === $result ) {
			throw StorageError::from_db( $this->wpdb->last_error );
		}
		return (int) $result;
	}

	/**
	 * Rows as associative arrays.
	 *
	 * @param string            $sql  SQL with placeholders.
	 * @param array<int, mixed> $args Values.
	 * @return array<int, array<string, mixed>>
	 * @throws StorageError When the query fails.
	 */
	public function rows( string $sql, array $args = array() ): array {
		$rows = $this->wpdb->get_results( $this->prepare( $sql, $args ), ARRAY_A );
		if ( '' !== $this->wpdb->last_error ) {
			throw StorageError::from_db( $this->wpdb->last_error );
		}
		return is_array( $rows ) ? $rows : array();
	}

	/**
	 * The first row, or null.
	 *
	 * @param string            $sql  SQL with placeholders.
	 * @param array<int, mixed> $args Values.
	 * @return array<string, mixed>|null
	 */
	public function row( string $sql, array $args = array() ): ?array {
		$rows = $this->rows( $sql, $args );
		return $rows[0] ?? null;
	}

	/**
	 * One value (first column of the first row), or null.
	 *
	 * @param string            $sql  SQL with placeholders.
	 * @param array<int, mixed> $args Values.
	 * @return mixed
	 * @throws StorageError When the query fails.
	 */
	public function value( string $sql, array $args = array() ) {
		$value = $this->wpdb->get_var( $this->prepare( $sql, $args ) );
		if ( '' !== $this->wpdb->last_error ) {
			throw StorageError::from_db( $this->wpdb->last_error );
		}
		return $value;
	}

	/**
	 * Runs $work in one transaction: committed when it returns, rolled back (and the error rethrown) when it throws.
	 * Inside a transaction already open on this connection (a caller's, a test's) $work joins it: MySQL's
	 * START TRANSACTION would commit the open one, so this neither starts, commits nor rolls back anything then.
	 *
	 * @template T
	 * @param callable(): T $work The statements.
	 * @return T What $work returns.
	 * @throws \Throwable What $work throws, after the rollback.
	 */
	public function transaction( callable $work ) {
		$own = 0 === (int) $this->value( 'SELECT @@in_transaction' );
		if ( $own ) {
			$this->query( 'START TRANSACTION' );
		}
		try {
			$result = $work();
			if ( $own ) {
				$this->query( 'COMMIT' );
			}
			return $result;
		} catch ( \Throwable $e ) {
			if ( $own ) {
				$this->query( 'ROLLBACK' );
			}
			throw $e;
		}
	}

	/**
	 * The id of the last inserted row.
	 */
	public function insert_id(): int {
		return (int) $this->wpdb->insert_id;
	}

	/**
	 * Runs dbDelta() on CREATE TABLE statements (creates or alters tables to match).
	 *
	 * @param array<int, string> $statements CREATE TABLE statements.
	 */
	public function delta( array $statements ): void {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( $statements );
	}

	/**
	 * Whether a table exists.
	 *
	 * @param string $table Full table name.
	 */
	public function table_exists( string $table ): bool {
		return $table === $this->value( 'SHOW TABLES LIKE %s', array( $this->wpdb->esc_like( $table ) ) );
	}
}

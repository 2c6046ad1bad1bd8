<?php
/**
 * CSV text read and written by PHP's own CSV functions (fgetcsv/fputcsv over an in-memory stream).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

/**
 * Pure: no database, no files. Used by the admin SKU import/export and `wp syncline mappings`.
 */
final class Csv {

	/**
	 * The non-blank records of a CSV text, keyed by the line each one starts on (1-based). A UTF-8 BOM is dropped;
	 * CRLF and CR line ends read as LF; quoted fields may hold commas, quotes and newlines.
	 *
	 * @param string $text CSV text.
	 * @return \Generator<int, array<int, string>>
	 */
	public static function records( string $text ): \Generator {
		$text   = str_replace( array( "\r\n", "\r" ), "\n", (string) preg_replace( '/^\xEF\xBB\xBF/', '', $text ) );
		$handle = self::stream( $text );
		$line   = 1;
		while ( true ) {
			$start = (int) ftell( $handle );
			$cells = fgetcsv( $handle, 0, ',', '"', '' );
			if ( false === $cells ) {
				break;
			}
			$cells = array_map( 'strval', $cells );
			if ( '' !== trim( implode( '', $cells ) ) ) {
				yield $line => $cells;
			}
			$line += substr_count( $text, "\n", $start, (int) ftell( $handle ) - $start );
		}
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- in-memory stream.
	}

	/**
	 * A CSV text: the header, then one line per row. A cell starting with = + - @ gets a leading ' so spreadsheets do
	 * not run it as a formula (`unguard()` removes it on import).
	 *
	 * @param array<int, string>             $header Column names.
	 * @param array<int, array<int, string>> $rows   Rows, cells in header order.
	 */
	public static function write( array $header, array $rows ): string {
		$handle = self::stream( '' );
		fputcsv( $handle, $header, ',', '"', '' );
		foreach ( $rows as $row ) {
			fputcsv( $handle, array_map( array( self::class, 'guard' ), $row ), ',', '"', '' );
		}
		rewind( $handle );
		$text = (string) stream_get_contents( $handle );
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- in-memory stream.
		return $text;
	}

	/**
	 * A cell as read: trimmed, and without the formula guard `write()` added.
	 *
	 * @param string $cell Cell as fgetcsv returned it.
	 */
	public static function unguard( string $cell ): string {
		return (string) preg_replace( "/^'(?=[=+\\-@])/", '', trim( $cell ) );
	}

	/**
	 * A cell with the formula guard.
	 *
	 * @param string $cell Cell value.
	 */
	private static function guard( string $cell ): string {
		return '' !== $cell && in_array( $cell[0], array( '=', '+', '-', '@' ), true ) ? "'" . $cell : $cell;
	}

	/**
	 * An in-memory stream holding `$text`, at its start.
	 *
	 * @param string $text Content.
	 * @return resource
	 * @throws \RuntimeException When PHP cannot open a memory stream.
	 */
	private static function stream( string $text ) {
		$handle = fopen( 'php://temp', 'r+' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fopen -- in-memory stream.
		if ( false === $handle ) {
			throw new \RuntimeException( 'php://temp could not be opened.' );
		}
		fwrite( $handle, $text ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- in-memory stream.
		rewind( $handle );
		return $handle;
	}
}

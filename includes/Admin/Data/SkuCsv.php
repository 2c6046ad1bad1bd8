<?php
/**
 * Parses and writes the SKU map CSV (wc_sku,erp_ref).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Outbox\SkuMap;

/**
 * Pure: no database. Bad rows are reported with their line number; good rows are returned to be saved.
 */
final class SkuCsv {

	public const MAX_ROWS = 20000;

	/**
	 * Splits a CSV text into good pairs and per-line errors. Read with a real CSV reader (fgetcsv over php://temp),
	 * so quoted fields may hold commas, quotes and newlines; errors name the line the record starts on.
	 *
	 * @param string $text CSV text; a header record (`wc_sku,erp_ref`, `woo_sku,erp_ref`, `sku,ref`…) is skipped.
	 * @return array{pairs: array<string, string>, errors: array<int, array{line: int, message: string}>}
	 */
	public static function parse( string $text ): array {
		$text   = (string) preg_replace( '/^\xEF\xBB\xBF/', '', $text );
		$text   = str_replace( array( "\r\n", "\r" ), "\n", $text );
		$pairs  = array();
		$seen   = array();
		$errors = array();
		$first  = true;
		foreach ( self::records( $text ) as $number => $raw ) {
			if ( count( $pairs ) + count( $errors ) >= self::MAX_ROWS ) {
				/* translators: %d: maximum rows */
				$errors[] = self::error( $number, sprintf( __( 'Only the first %d rows are read; split the file.', 'syncline' ), self::MAX_ROWS ) );
				break;
			}
			$cells  = array_map( static fn( $c ) => preg_replace( "/^'(?=[=+\\-@])/", '', trim( (string) $c ) ) ?? '', $raw );
			$header = $first && self::is_header( $cells );
			$first  = false;
			if ( $header ) {
				continue;
			}
			$problem = self::check( $cells );
			if ( null === $problem && isset( $seen[ $cells[0] ] ) ) {
				/* translators: %d: line number */
				$problem = sprintf( __( 'The SKU is already on line %d.', 'syncline' ), $seen[ $cells[0] ] );
			}
			if ( null !== $problem ) {
				$errors[] = self::error( $number, $problem );
				continue;
			}
			$seen[ $cells[0] ]  = $number;
			$pairs[ $cells[0] ] = $cells[1];
		}
		return array(
			'pairs'  => $pairs,
			'errors' => $errors,
		);
	}

	/**
	 * The non-blank records of a CSV text (line endings already \n), keyed by the line each one starts on.
	 *
	 * @param string $text CSV text.
	 * @return \Generator<int, array<int, string|null>>
	 */
	private static function records( string $text ): \Generator {
		$handle = fopen( 'php://temp', 'r+' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fopen -- in-memory stream.
		if ( false === $handle ) {
			return;
		}
		fwrite( $handle, $text ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- in-memory stream.
		rewind( $handle );
		$line = 1;
		while ( true ) {
			$start = (int) ftell( $handle );
			$cells = fgetcsv( $handle, 0, ',', '"', '' );
			if ( false === $cells ) {
				break;
			}
			$consumed = substr( $text, $start, (int) ftell( $handle ) - $start );
			if ( array( null ) !== $cells && '' !== trim( implode( '', array_map( 'strval', $cells ) ) ) ) {
				yield $line => $cells;
			}
			$line += substr_count( $consumed, "\n" );
		}
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- in-memory stream.
	}

	/**
	 * Whether the first record is a header: two cells naming the SKU and the ERP reference columns.
	 *
	 * @param array<int, string> $cells Trimmed cells.
	 */
	private static function is_header( array $cells ): bool {
		if ( 2 !== count( $cells ) ) {
			return false;
		}
		$name = static fn( string $c ): string => (string) preg_replace( '/[^a-z]/', '', strtolower( $c ) );
		return in_array( $name( $cells[0] ), array( 'sku', 'wcsku', 'woosku', 'woocommercesku' ), true )
			&& in_array( $name( $cells[1] ), array( 'ref', 'erpref', 'reference', 'erpreference', 'erpproductref' ), true );
	}

	/**
	 * The CSV of some mappings, with a header line.
	 *
	 * @param array<int, array{wc_sku: string, erp_ref: string}> $rows Mappings.
	 */
	public static function write( array $rows ): string {
		$out = "wc_sku,erp_ref\n";
		foreach ( $rows as $row ) {
			$out .= self::cell( $row['wc_sku'] ) . ',' . self::cell( $row['erp_ref'] ) . "\n";
		}
		return $out;
	}

	/**
	 * Why a row is bad, or null: two columns, each passing the single-mapping rule (SkuMap::problem()).
	 *
	 * @param array<int, string> $cells Trimmed cells.
	 */
	private static function check( array $cells ): ?string {
		if ( 2 !== count( $cells ) ) {
			/* translators: %d: number of columns */
			return sprintf( __( 'Expected 2 columns (wc_sku,erp_ref), found %d.', 'syncline' ), count( $cells ) );
		}
		foreach ( array(
			__( 'SKU', 'syncline' )           => $cells[0],
			__( 'ERP reference', 'syncline' ) => $cells[1],
		) as $label => $value ) {
			$problem = SkuMap::problem( $value );
			if ( null !== $problem ) {
				/* translators: 1: column, 2: what is wrong */
				return sprintf( __( 'The %1$s %2$s.', 'syncline' ), $label, $problem );
			}
		}
		return null;
	}

	/**
	 * One error entry.
	 *
	 * @param int    $line    Line number.
	 * @param string $message Why.
	 * @return array{line: int, message: string}
	 */
	private static function error( int $line, string $message ): array {
		return array(
			'line'    => $line,
			'message' => $message,
		);
	}

	/**
	 * A CSV cell; values starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas.
	 *
	 * @param string $value Cell value.
	 */
	private static function cell( string $value ): string {
		if ( '' !== $value && in_array( $value[0], array( '=', '+', '-', '@' ), true ) ) {
			$value = "'" . $value;
		}
		return preg_match( '/[",\n\r]/', $value ) ? '"' . str_replace( '"', '""', $value ) . '"' : $value;
	}
}

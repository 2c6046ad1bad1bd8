<?php
/**
 * Parses and writes the SKU map CSV (wc_sku,erp_ref).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

/**
 * Pure: no database. Bad rows are reported with their line number; good rows are returned to be saved.
 */
final class SkuCsv {

	public const MAX_ROWS = 20000;

	/**
	 * Splits a CSV text into good pairs and per-line errors.
	 *
	 * @param string $text CSV text; an optional header line `wc_sku,erp_ref` is skipped.
	 * @return array{pairs: array<string, string>, errors: array<int, array{line: int, message: string}>}
	 */
	public static function parse( string $text ): array {
		$text   = preg_replace( '/^\xEF\xBB\xBF/', '', $text ) ?? $text;
		$lines  = preg_split( '/\r\n|\n|\r/', $text );
		$lines  = false === $lines ? array() : $lines;
		$pairs  = array();
		$seen   = array();
		$errors = array();
		foreach ( $lines as $i => $line ) {
			$number = $i + 1;
			if ( '' === trim( $line ) ) {
				continue;
			}
			if ( count( $pairs ) + count( $errors ) >= self::MAX_ROWS ) {
				/* translators: %d: maximum rows */
				$errors[] = self::error( $number, sprintf( __( 'Only the first %d rows are read; split the file.', 'syncline' ), self::MAX_ROWS ) );
				break;
			}
			$cells = array_map( static fn( $c ) => preg_replace( "/^'(?=[=+\\-@])/", '', trim( (string) $c ) ) ?? '', str_getcsv( $line, ',', '"', '\\' ) );
			if ( 1 === $number && in_array( strtolower( (string) ( $cells[0] ?? '' ) ), array( 'wc_sku', 'sku' ), true ) ) {
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
	 * Why a row is bad, or null.
	 *
	 * @param array<int, string|null> $cells Trimmed cells.
	 */
	private static function check( array $cells ): ?string {
		if ( 2 !== count( $cells ) ) {
			/* translators: %d: number of columns */
			return sprintf( __( 'Expected 2 columns (wc_sku,erp_ref), found %d.', 'syncline' ), count( $cells ) );
		}
		foreach ( array(
			__( 'SKU', 'syncline' )           => (string) $cells[0],
			__( 'ERP reference', 'syncline' ) => (string) $cells[1],
		) as $label => $value ) {
			if ( '' === $value ) {
				/* translators: %s: column */
				return sprintf( __( 'The %s is empty.', 'syncline' ), $label );
			}
			if ( strlen( $value ) > SkuMapStore::MAX_LEN || preg_match( '/[\x00-\x1F\x7F]/', $value ) ) {
				/* translators: 1: column, 2: maximum length */
				return sprintf( __( 'The %1$s is longer than %2$d characters or has control characters.', 'syncline' ), $label, SkuMapStore::MAX_LEN );
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

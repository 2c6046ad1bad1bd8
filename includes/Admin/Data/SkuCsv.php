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
	 * Splits a CSV text into good pairs and per-line errors. Read with PHP's CSV reader (Csv::records), so quoted
	 * fields may hold commas, quotes and newlines; errors name the line the record starts on.
	 *
	 * @param string $text CSV text; a header record (`wc_sku,erp_ref`, `woo_sku,erp_ref`, `sku,ref`…) is skipped.
	 * @return array{pairs: array<string, string>, errors: array<int, array{line: int, message: string}>}
	 */
	public static function parse( string $text ): array {
		$pairs  = array();
		$seen   = array();
		$errors = array();
		$first  = true;
		foreach ( Csv::records( $text ) as $number => $raw ) {
			if ( count( $pairs ) + count( $errors ) >= self::MAX_ROWS ) {
				/* translators: %d: maximum rows */
				$errors[] = self::error( $number, sprintf( __( 'Only the first %d rows are read; split the file.', 'syncline' ), self::MAX_ROWS ) );
				break;
			}
			$cells  = array_map( array( Csv::class, 'unguard' ), $raw );
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
		return Csv::write( array( 'wc_sku', 'erp_ref' ), array_map( static fn( array $row ): array => array( $row['wc_sku'], $row['erp_ref'] ), $rows ) );
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
}

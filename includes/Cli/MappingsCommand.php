<?php
/**
 * `wp syncline mappings list|export|import`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Admin\Data\Csv;
use Syncline\Exception\InvalidRequest;
use Syncline\Admin\Data\MappingRules;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\SkuMap;

/**
 * Every mapping as one CSV (`type,wc_key,erp_value`): type `sku` (the SKU map) or one of the other mapping types
 * (order_status, payment_method, tax_rate, shipping_method, shipment_status). An import validates every row with
 * the admin screen's rules first and writes nothing when any row is wrong (each bad line is named); each write is
 * audited like an edit in wp-admin.
 */
class MappingsCommand {

	public const HEADER = array( 'type', 'wc_key', 'erp_value' );
	public const SKU    = 'sku';

	/**
	 * Builds the command.
	 *
	 * @param SkuMap   $sku_map  SKU map.
	 * @param Mappings $mappings The other mappings.
	 */
	public function __construct( private SkuMap $sku_map, private Mappings $mappings ) {
	}

	/**
	 * Lists mappings.
	 *
	 * ## OPTIONS
	 *
	 * [--type=<type>]
	 * : Only this type: sku, order_status, payment_method, tax_rate, shipping_method, shipment_status.
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 *   - count
	 * ---
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function list( array $args, array $assoc ): void {
		\WP_CLI\Utils\format_items( (string) ( $assoc['format'] ?? 'table' ), $this->rows( $this->types( $assoc ) ), self::HEADER );
	}

	/**
	 * Writes every mapping as CSV (type,wc_key,erp_value) to a file or to standard output.
	 *
	 * ## OPTIONS
	 *
	 * [<file>]
	 * : File to write (default: standard output).
	 *
	 * [--type=<type>]
	 * : Only this type.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline mappings export mappings.csv
	 *     wp syncline mappings export --type=sku > skus.csv
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function export( array $args, array $assoc ): void {
		$rows = $this->rows( $this->types( $assoc ) );
		$file = $args[0] ?? null;
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fopen -- a CLI writing a local file or STDOUT.
		$out = null === $file ? STDOUT : fopen( $file, 'wb' );
		if ( false === $out ) {
			/* translators: %s: file. */
			\WP_CLI::error( sprintf( __( 'Cannot write %s.', 'syncline' ), (string) $file ) );
		}
		fwrite( $out, Csv::write( self::HEADER, array_map( 'array_values', $rows ) ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- see fopen.
		if ( null !== $file ) {
			fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- see fopen.
			/* translators: 1: rows, 2: file. */
			\WP_CLI::success( sprintf( __( '%1$d mapping(s) written to %2$s.', 'syncline' ), count( $rows ), $file ) );
		}
	}

	/**
	 * Imports mappings from CSV (header type,wc_key,erp_value); all rows are validated before any is written.
	 *
	 * ## OPTIONS
	 *
	 * <file>
	 * : CSV file.
	 *
	 * [--dry-run]
	 * : Validate only.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline mappings import mappings.csv --dry-run
	 *
	 * @param array<int, string>         $args  Positional arguments.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function import( array $args, array $assoc ): void {
		$rows = $this->parse( (string) ( $args[0] ?? '' ) );
		if ( ! empty( $assoc['dry-run'] ) ) {
			/* translators: %d: rows. */
			\WP_CLI::success( sprintf( __( '%d row(s) valid; nothing written (--dry-run).', 'syncline' ), count( $rows ) ) );
			return;
		}
		$bar = \WP_CLI\Utils\make_progress_bar( __( 'Importing mappings', 'syncline' ), max( 1, count( $rows ) ) );
		foreach ( $rows as $row ) {
			if ( self::SKU === $row['type'] ) {
				$this->sku_map->set( $row['wc_key'], $row['erp_value'] );
			} else {
				$this->mappings->set( $row['type'], $row['wc_key'], $row['erp_value'] );
			}
			$bar->tick();
		}
		$bar->finish();
		/* translators: %d: rows. */
		\WP_CLI::success( sprintf( __( '%d mapping(s) imported.', 'syncline' ), count( $rows ) ) );
	}

	/**
	 * Reads and validates a CSV file; stops with every bad line named.
	 *
	 * @param string $file File.
	 * @return array<int, array{type: string, wc_key: string, erp_value: string}>
	 */
	private function parse( string $file ): array {
		if ( '' === $file || ! is_readable( $file ) ) {
			/* translators: %s: file. */
			\WP_CLI::error( sprintf( __( 'Cannot read %s.', 'syncline' ), '' === $file ? __( '(no file given)', 'syncline' ) : $file ) );
		}
		$checked = $this->check( (string) file_get_contents( $file ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a CLI reading a local file.
		if ( null === $checked['rows'] ) {
			\WP_CLI::error( __( 'The first line must be the header: type,wc_key,erp_value', 'syncline' ) );
		}
		if ( array() !== $checked['errors'] ) {
			$lines = array_map( static fn( int $line, string $problem ): string => sprintf( 'line %d: %s', $line, $problem ), array_keys( $checked['errors'] ), $checked['errors'] );
			/* translators: 1: number of bad lines, 2: the lines. */
			\WP_CLI::error( sprintf( __( "%1\$d bad line(s); nothing imported:\n%2\$s", 'syncline' ), count( $lines ), implode( "\n", array_slice( $lines, 0, 50 ) ) ) );
		}
		return $checked['rows'];
	}

	/**
	 * Validates a CSV text (Csv::records: quoted fields may span lines, errors name the line a record starts on).
	 *
	 * @param string $text CSV text, its first record the header type,wc_key,erp_value.
	 * @return array{rows: array<int, array{type: string, wc_key: string, erp_value: string}>|null, errors: array<int, string>} Rows null when the header is missing; errors by line.
	 */
	public function check( string $text ): array {
		$rows   = array();
		$errors = array();
		$types  = array_merge( array( self::SKU ), Mappings::TYPES );
		$header = true;
		foreach ( Csv::records( $text ) as $line => $cells ) {
			$cells = array_map( array( Csv::class, 'unguard' ), $cells );
			if ( $header ) {
				if ( self::HEADER !== array_map( 'strtolower', $cells ) ) {
					return array(
						'rows'   => null,
						'errors' => array(),
					);
				}
				$header = false;
				continue;
			}
			$problem = $this->problem( $cells, $types );
			if ( is_string( $problem ) ) {
				$errors[ $line ] = $problem;
				continue;
			}
			$rows[] = $problem;
		}
		return array(
			'rows'   => $header ? null : $rows,
			'errors' => $errors,
		);
	}

	/**
	 * A valid row, or what is wrong with it.
	 *
	 * @param array<int, string> $cells Cells, trimmed.
	 * @param array<int, string> $types Allowed types.
	 * @return array{type: string, wc_key: string, erp_value: string}|string
	 */
	private function problem( array $cells, array $types ) {
		if ( 3 !== count( $cells ) ) {
			return __( 'needs exactly 3 cells: type,wc_key,erp_value', 'syncline' );
		}
		$type = $cells[0];
		if ( ! in_array( $type, $types, true ) ) {
			/* translators: 1: type, 2: allowed types. */
			return sprintf( __( 'unknown type "%1$s" (use %2$s)', 'syncline' ), $type, implode( ', ', $types ) );
		}
		$key   = $cells[1];
		$value = $cells[2];
		if ( self::SKU === $type ) {
			$problem = SkuMap::problem( $key ) ?? SkuMap::problem( $value );
			return null === $problem ? array(
				'type'      => $type,
				'wc_key'    => $key,
				'erp_value' => $value,
			) : $problem;
		}
		try {
			$ok = MappingRules::check( $type, $key, $value );
		} catch ( InvalidRequest $e ) {
			return implode( '; ', $e->errors );
		}
		return array(
			'type'      => $type,
			'wc_key'    => $ok['wc_key'],
			'erp_value' => $ok['erp_value'],
		);
	}

	/**
	 * The types an option names (every type when absent).
	 *
	 * @param array<string, string|bool> $assoc Options.
	 * @return array<int, string>
	 */
	private function types( array $assoc ): array {
		$all = array_merge( array( self::SKU ), Mappings::TYPES );
		if ( ! isset( $assoc['type'] ) ) {
			return $all;
		}
		if ( ! in_array( $assoc['type'], $all, true ) ) {
			/* translators: %s: types. */
			\WP_CLI::error( sprintf( __( 'Unknown --type; use one of: %s', 'syncline' ), implode( ', ', $all ) ) );
		}
		return array( (string) $assoc['type'] );
	}

	/**
	 * Mapping rows of some types.
	 *
	 * @param array<int, string> $types Types.
	 * @return array<int, array{type: string, wc_key: string, erp_value: string}>
	 */
	private function rows( array $types ): array {
		$rows = array();
		foreach ( $types as $type ) {
			if ( self::SKU === $type ) {
				foreach ( $this->sku_map->all() as $r ) {
					$rows[] = array(
						'type'      => self::SKU,
						'wc_key'    => (string) $r['wc_sku'],
						'erp_value' => (string) $r['erp_ref'],
					);
				}
				continue;
			}
			foreach ( $this->mappings->get_all( $type ) as $r ) {
				$rows[] = array(
					'type'      => $type,
					'wc_key'    => $r['wc_key'],
					'erp_value' => $r['erp_value'],
				);
			}
		}
		return $rows;
	}
}

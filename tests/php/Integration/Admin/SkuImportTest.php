<?php
/**
 * POST /admin/mappings/sku/import: hostile bodies save nothing; rows are read by a real CSV reader.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Tests\Integration\Rest\RestTestCase;
use WP_REST_Response;

/**
 * @testdox SKU map CSV import
 */
final class SkuImportTest extends RestTestCase {

	private const ROUTE = '/syncline/v1/admin/mappings/sku/import';

	/** An administrator; an empty SKU map inside the rolled-back transaction. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'administrator' );
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'sku_map' ) );
	}

	/**
	 * The SKU map as wc_sku => erp_ref.
	 *
	 * @return array<string, string>
	 */
	private function map(): array {
		$rows = $this->db->rows( 'SELECT wc_sku, erp_ref FROM ' . $this->db->table( 'sku_map' ) . ' ORDER BY wc_sku' );
		return array_column( $rows, 'erp_ref', 'wc_sku' );
	}

	/**
	 * Imports a CSV text sent as {csv}.
	 *
	 * @param string $csv CSV text.
	 */
	private function import( string $csv ): WP_REST_Response {
		return $this->dispatch( 'POST', self::ROUTE, (string) wp_json_encode( array( 'csv' => $csv ) ) );
	}

	/**
	 * @testdox a body without a csv string ($case) is a 400 and saves nothing
	 *
	 * @dataProvider bad_bodies
	 * @param string               $raw     Raw body.
	 * @param array<string,string> $headers Headers.
	 */
	public function test_bad_bodies( string $raw, array $headers ): void {
		$response = $this->dispatch( 'POST', self::ROUTE, $raw, $headers );
		$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( array(), $this->map() );
	}

	/**
	 * Cases.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function bad_bodies(): array {
		return array(
			'JSON without csv'  => array( '{"woo_sku":"A","erp_ref":"B"}', array() ),
			'JSON list'         => array( '[["A","B"]]', array() ),
			'csv not a string'  => array( '{"csv":["A,B"]}', array() ),
			'csv a number'      => array( '{"csv":5}', array() ),
			'csv empty'         => array( '{"csv":"  \n"}', array() ),
			'raw text/csv body' => array( "A,B\nC,D", array( 'Content-Type' => 'text/csv' ) ),
			'broken JSON'       => array( '{"csv":"A,B"', array() ),
			'over 2 MB'         => array( (string) wp_json_encode( array( 'csv' => str_repeat( "SKU,REF\n", 300000 ) ) ), array() ),
		);
	}

	/**
	 * @testdox a header row (woo_sku,erp_ref or wc_sku,erp_ref) is recognised and skipped, not saved as a mapping
	 */
	public function test_header_skipped(): void {
		$this->assertSame( 1, $this->import( "woo_sku,erp_ref\nA,REF-A\n" )->get_data()['saved'] );
		$this->assertSame( 1, $this->import( "\xEF\xBB\xBF\"WC SKU\",\"ERP ref\"\r\nB,REF-B" )->get_data()['saved'] );
		$this->assertSame(
			array(
				'A' => 'REF-A',
				'B' => 'REF-B',
			),
			$this->map()
		);
	}

	/**
	 * @testdox quoted fields keep commas, quotes and newlines; bad rows are reported by the line they start on and not saved
	 */
	public function test_real_csv(): void {
		$csv  = "wc_sku,erp_ref\n";
		$csv .= "\"S,1\",\"R \"\"one\"\"\"\n"; // Line 2: comma and quotes inside quoted fields.
		$csv .= "\"S2\",\"two\nlines\"\n";    // Line 3 (to 4): a newline inside a ref is a control character.
		$csv .= ",R5\n";                        // Line 5: empty SKU.
		$csv .= "\n";                           // Line 6: blank.
		$csv .= "S7,R7,extra\n";                // Line 7: three columns.
		$csv .= 'S8,' . str_repeat( 'x', 192 ) . "\n"; // Line 8: too long.
		$csv .= "S9,R9\n";                      // Line 9: good.
		$csv .= "S9,R9b\n";                     // Line 10: duplicate.
		$csv .= "'=S11,R11\n";                  // Line 11: formula guard of the export removed.
		$data = $this->import( $csv )->get_data();
		$this->assertSame( 3, $data['saved'] );
		$this->assertSame( array( 3, 5, 7, 8, 10 ), array_column( $data['errors'], 'line' ) );
		$this->assertSame(
			array(
				'=S11' => 'R11',
				'S,1'  => 'R "one"',
				'S9'   => 'R9',
			),
			$this->map()
		);
	}

	/**
	 * @testdox the import follows the single-mapping rule: what PUT refuses, the import refuses
	 */
	public function test_same_rule_as_single(): void {
		$long = str_repeat( 'é', 192 );
		$put  = $this->dispatch(
			'PUT',
			'/syncline/v1/admin/mappings/sku',
			(string) wp_json_encode(
				array(
					'wc_sku'  => 'L',
					'erp_ref' => $long,
				)
			)
		);
		$this->assertSame( 400, $put->get_status() );
		$data = $this->import( "L,$long\nM," . str_repeat( 'é', 191 ) )->get_data();
		$this->assertSame( array( 1 ), array_column( $data['errors'], 'line' ) );
		$this->assertSame( array( 'M' ), array_keys( $this->map() ) );
	}

	/**
	 * @testdox the export is written by fputcsv (quotes, commas, formula guard) and imports back to the same map
	 */
	public function test_export_round_trip(): void {
		$map = array(
			'=SUM(A1)' => '-5',
			'A,B'      => 'R "q"',
			'@home'    => '+1',
			'plain'    => 'REF',
		);
		foreach ( $map as $sku => $ref ) {
			$this->assertSame(
				200,
				$this->dispatch(
					'PUT',
					'/syncline/v1/admin/mappings/sku',
					(string) wp_json_encode(
						array(
							'wc_sku'  => $sku,
							'erp_ref' => $ref,
						)
					)
				)->get_status()
			);
		}
		$csv   = $this->dispatch( 'GET', '/syncline/v1/admin/mappings/sku/export' )->get_data()['csv'];
		$lines = explode( "\n", $csv );
		$this->assertSame( array( 'wc_sku,erp_ref', '' ), array( array_shift( $lines ), array_pop( $lines ) ) );
		sort( $lines );
		$this->assertSame( array( '"A,B","R ""q"""', "'=SUM(A1),'-5", "'@home,'+1", 'plain,REF' ), $lines );
		$this->db->query( 'DELETE FROM ' . $this->db->table( 'sku_map' ) );
		$this->assertSame( 4, $this->import( $csv )->get_data()['saved'] );
		$back = $this->map();
		ksort( $map );
		ksort( $back );
		$this->assertSame( $map, $back );
	}
}

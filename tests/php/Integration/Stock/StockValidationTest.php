<?php
/**
 * Bad input to the stock routes is refused and changes nothing.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Stock;

/**
 * @testdox Stock route validation
 */
final class StockValidationTest extends StockTestCase {

	/**
	 * @testdox bad apply body ($field) gets 400 and nothing is applied
	 *
	 * @dataProvider bad_bodies
	 * @param callable $items Builds the items from the SKU prefix.
	 * @param string   $field Field named in the errors.
	 */
	public function test_bad_bodies( callable $items, string $field ): void {
		$this->product( 'A', 4 );
		$before   = (string) wp_json_encode( array( $this->stock( 'A' ), $this->snapshot() ) );
		$response = $this->signed( '/syncline/v1/stock/apply', $items( $this->p ) );
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$this->assertArrayHasKey( $field, $response->as_error()->get_error_data()['errors'] );
		$this->assertSame( $before, (string) wp_json_encode( array( $this->stock( 'A' ), $this->snapshot() ) ) );
		$this->assertSame( 0, (int) $this->db->value( 'SELECT COUNT(*) FROM ' . $this->db->table( 'stock_state' ) ) );
	}

	/**
	 * Cases: a valid item next to a bad one, so "nothing applied" is meaningful.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function bad_bodies(): array {
		$ok   = fn ( string $p ) => array(
			'sku'     => $p . 'A',
			'ats'     => 9,
			'read_at' => time() * 1000,
		);
		$with = fn ( array $bad, string $field ) => array(
			fn ( string $p ) => array( 'items' => array( $ok( $p ), $bad + $ok( $p . 'X' ) ) ),
			$field,
		);
		return array(
			'negative ats'            => $with( array( 'ats' => -1 ), 'items[1].ats' ),
			'string ats'              => $with( array( 'ats' => '5' ), 'items[1].ats' ),
			'float ats'               => $with( array( 'ats' => 1.5 ), 'items[1].ats' ),
			'null ats'                => $with( array( 'ats' => null ), 'items[1].ats' ),
			'empty sku'               => $with( array( 'sku' => '' ), 'items[1].sku' ),
			'long sku'                => $with( array( 'sku' => str_repeat( 'x', 192 ) ), 'items[1].sku' ),
			'sku ending in a newline' => $with( array( 'sku' => "SKU\n" ), 'items[1].sku' ),
			'bad read_at'             => $with( array( 'read_at' => 'yesterday' ), 'items[1].read_at' ),
			'negative read_at'        => $with( array( 'read_at' => -5 ), 'items[1].read_at' ),
			'read_at in 2099'         => $with( array( 'read_at' => '2099-01-01T00:00:00Z' ), 'items[1].read_at' ),
			// Read when the test runs, not when PHPUnit builds the data sets (a minute or more earlier under load).
			'read_at 6 min on'        => array( fn ( string $p ) => array( 'items' => array( $ok( $p ), array( 'read_at' => ( time() + 360 ) * 1000 ) + $ok( $p . 'X' ) ) ), 'items[1].read_at' ),
			'missing fields'          => array( fn ( string $p ) => array( 'items' => array( $ok( $p ), array( 'sku' => $p . 'B' ) ) ), 'items[1].ats' ),
			'duplicate sku'           => array( fn ( string $p ) => array( 'items' => array( $ok( $p ), $ok( $p ) ) ), 'items[1].sku' ),
			'item not object'         => array( fn ( string $p ) => array( 'items' => array( $ok( $p ), 7 ) ), 'items[1]' ),
			'no items'                => array( fn ( string $p ) => array( 'items' => array() ), 'items' ),
			'items missing'           => array( fn ( string $p ) => array( 'rows' => array( $ok( $p ) ) ), 'items' ),
			'oversized array'         => array( fn ( string $p ) => array( 'items' => array_map( fn ( $i ) => array( 'sku' => $p . "S$i" ) + $ok( $p ), range( 1, 501 ) ) ), 'items' ),
		);
	}

	/**
	 * @testdox an unsigned or badly signed apply gets 401 and nothing is applied
	 */
	public function test_unsigned(): void {
		$this->product( 'A', 4 );
		$body = array(
			'items' => array(
				array(
					'sku'     => $this->p . 'A',
					'ats'     => 9,
					'read_at' => time() * 1000,
				),
			),
		);
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( '/syncline/v1/stock/apply', $body, array( 'X-Syncline-Signature' => null ) ) );
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( '/syncline/v1/stock/apply', $body, array( 'secret' => 'wrong' ) ) );
		$this->assertSame( 4, $this->stock( 'A' )['stock'] );
	}

	/**
	 * @testdox an ISO 8601 read_at is accepted
	 */
	public function test_iso_read_at(): void {
		$this->product( 'A', 4 );
		$item = array(
			'sku'     => $this->p . 'A',
			'ats'     => 9,
			'read_at' => gmdate( 'Y-m-d\TH:i:s.000\Z' ),
		);
		$this->assertSame( 200, $this->signed( '/syncline/v1/stock/apply', array( 'items' => array( $item ) ) )->get_status() );
		$this->assertSame( 9, $this->stock( 'A' )['stock'] );
	}

	/**
	 * @testdox a read_at a little ahead of this site's clock (sidecar clock skew) is accepted, and does not freeze the SKU
	 */
	public function test_small_skew_accepted(): void {
		$this->product( 'A', 4 );
		$ahead = ( time() + 60 ) * 1000;
		$this->apply( array( array( 'A', 9, $ahead ) ) );
		$this->assertSame( 9, $this->stock( 'A' )['stock'] );
		$this->apply( array( array( 'A', 7, $ahead + 1 ) ) );
		$this->assertSame( 7, $this->stock( 'A' )['stock'] );
	}
}

<?php
/**
 * Base of the stock tests: products (real WooCommerce's or the stand-in's, through the test helper), signed
 * applies, checkouts.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Stock;

use Syncline\Stock\InFlight;
use Syncline\Stock\OrderLines;
use Syncline\Stock\StockAcks;
use Syncline\Stock\StockTables;
use Syncline\Tests\Integration\Rest\RestTestCase;

/**
 * Every test runs in the rolled-back transaction of IntegrationTestCase; SKUs are unique per test.
 */
abstract class StockTestCase extends RestTestCase {

	/**
	 * Per-test SKU prefix.
	 *
	 * @var string
	 */
	protected string $p;

	/**
	 * Fresh prefix; empties the stock tables inside the transaction.
	 */
	protected function setUp(): void {
		parent::setUp();
		if ( ! function_exists( 'syncline_test_create_product' ) ) {
			$this->markTestSkipped( 'Needs the Syncline test helper plugin (products).' );
		}
		$this->p = 'T' . bin2hex( random_bytes( 4 ) ) . '-';
		$this->db->query( 'DELETE FROM ' . $this->db->table( StockTables::STOCK_STATE ) );
		$this->db->query( 'DELETE FROM ' . $this->db->table( StockTables::INFLIGHT ) );
	}

	/**
	 * Creates a product.
	 *
	 * @param string $sku        SKU (prefixed).
	 * @param int    $stock      Stock.
	 * @param string $backorders no|notify|yes.
	 * @param int    $parent     Parent (variation).
	 */
	protected function product( string $sku, int $stock, string $backorders = 'no', int $parent = 0 ): int {
		return syncline_test_create_product(
			array(
				'sku'        => $this->p . $sku,
				'stock'      => $stock,
				'backorders' => $backorders,
				'parent'     => $parent,
			)
		);
	}

	/**
	 * Signed apply of readings [sku, ats, read_at ms].
	 *
	 * @param array<int, array{0: string, 1: int, 2: int}> $readings Readings.
	 * @return array<string, mixed>
	 */
	protected function apply( array $readings ): array {
		$items    = array_map(
			fn ( $r ) => array(
				'sku'     => $this->p . $r[0],
				'ats'     => $r[1],
				'read_at' => $r[2],
			),
			$readings
		);
		$response = $this->signed( '/syncline/v1/stock/apply', array( 'items' => $items ) );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return (array) $response->get_data();
	}

	/**
	 * A checkout: order + stock reduction.
	 *
	 * @param array<string, int> $lines SKU (unprefixed) => quantity.
	 */
	protected function checkout( array $lines ): int {
		$items = array();
		foreach ( $lines as $sku => $qty ) {
			$items[] = array(
				'sku'      => $this->p . $sku,
				'quantity' => $qty,
			);
		}
		return syncline_test_checkout( array( 'line_items' => $items ) )['order_id'];
	}

	/**
	 * The ERP counted the order (done ack with validate_order).
	 *
	 * @param int $order_id Order id.
	 */
	protected function erp_counts( int $order_id ): void {
		( new StockAcks( new InFlight( $this->db, new OrderLines() ) ) )->done( 'order', $order_id, array( 'steps' => array( 'validate_order' ) ) );
	}

	/**
	 * _stock, _stock_status and the lookup row of a SKU.
	 *
	 * @param string $sku SKU (unprefixed).
	 * @return array{stock: int, status: string, lookup_qty: int, lookup_status: string}
	 */
	protected function stock( string $sku ): array {
		$id   = wc_get_product_id_by_sku( $this->p . $sku );
		$meta = $this->db->prefix() . 'postmeta';
		$look = $this->db->prefix() . 'wc_product_meta_lookup';
		$row  = $this->db->row(
			"SELECT s.meta_value AS stock, t.meta_value AS status, l.stock_quantity, l.stock_status FROM {$meta} s
			JOIN {$meta} t ON t.post_id = s.post_id AND t.meta_key = '_stock_status'
			JOIN {$look} l ON l.product_id = s.post_id WHERE s.post_id = %d AND s.meta_key = '_stock'",
			array( $id )
		);
		$this->assertNotNull( $row );
		return array(
			'stock'         => (int) $row['stock'],
			'status'        => (string) $row['status'],
			'lookup_qty'    => (int) $row['stock_quantity'],
			'lookup_status' => (string) $row['stock_status'],
		);
	}

	/**
	 * Now in ms plus an offset.
	 *
	 * @param int $offset_ms Offset.
	 */
	protected function ms( int $offset_ms ): int {
		return StockTables::now_ms() + $offset_ms;
	}
}

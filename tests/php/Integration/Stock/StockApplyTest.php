<?php
/**
 * The relative apply: rules, in-flight deduction, monotonic rejection, variations, unknown SKUs.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Stock;

/**
 * @testdox Stock apply (POST /syncline/v1/stock/apply)
 */
final class StockApplyTest extends StockTestCase {

	/**
	 * @testdox first sight sets ats minus in-flight; status $status with backorders $backorders
	 *
	 * @dataProvider first_sight_cases
	 * @param int    $start      Store stock before.
	 * @param int    $checkout   Units checked out before the reading (not counted by the ERP).
	 * @param int    $ats        ERP ATS.
	 * @param string $backorders Backorders setting.
	 * @param int    $stock      Expected _stock.
	 * @param string $status     Expected status.
	 */
	public function test_first_sight( int $start, int $checkout, int $ats, string $backorders, int $stock, string $status ): void {
		$this->product( 'A', $start, $backorders );
		if ( $checkout > 0 ) {
			$this->checkout( array( 'A' => $checkout ) );
		}
		$result = $this->apply( array( array( 'A', $ats, $this->ms( 0 ) ) ) );
		$this->assertSame( 1, $result['applied'] );
		$this->assertSame(
			array(
				'stock'         => $stock,
				'status'        => $status,
				'lookup_qty'    => $stock,
				'lookup_status' => $status,
			),
			$this->stock( 'A' )
		);
	}

	/**
	 * Cases.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function first_sight_cases(): array {
		return array(
			'plain copy'                        => array( 0, 0, 10, 'no', 10, 'instock' ),
			'in flight deducted'                => array( 10, 3, 10, 'no', 7, 'instock' ),
			'in flight exceeds ats, no backord' => array( 5, 5, 4, 'no', -1, 'outofstock' ),
			'zero with backorders'              => array( 5, 0, 0, 'yes', 0, 'onbackorder' ),
			'zero with notify'                  => array( 5, 0, 0, 'notify', 0, 'onbackorder' ),
			'zero without backorders'           => array( 5, 0, 0, 'no', 0, 'outofstock' ),
		);
	}

	/**
	 * @testdox a second wc_reduce_stock_levels() on the same order (WooCommerce fires the hook again) does not count it twice
	 */
	public function test_reduce_hook_fired_twice(): void {
		$this->product( 'A', 10 );
		$order = $this->checkout( array( 'A' => 3 ) );
		wc_reduce_stock_levels( $order );
		$this->assertSame( 7, $this->stock( 'A' )['stock'], 'WooCommerce reduces each line once' );
		$this->apply( array( array( 'A', 10, $this->ms( 0 ) ) ) );
		$this->assertSame( 7, $this->stock( 'A' )['stock'], 'the order is in flight once' );
	}

	/**
	 * @testdox later readings apply relatively: a checkout between readings is kept, a counted order is not taken twice
	 */
	public function test_relative_with_counted_orders(): void {
		$this->product( 'A', 0 );
		$this->apply( array( array( 'A', 10, $this->ms( -5000 ) ) ) );
		$order = $this->checkout( array( 'A' => 2 ) );
		$this->assertSame( 8, $this->stock( 'A' )['stock'] );
		$r = $this->apply( array( array( 'A', 10, $this->ms( -4000 ) ) ) );
		$this->assertSame( 1, $r['unchanged'] );
		$this->assertSame( 8, $this->stock( 'A' )['stock'], 'the ERP has not counted the order: still deducted' );
		$this->erp_counts( $order );
		$this->apply( array( array( 'A', 8, $this->ms( 1000 ) ) ) );
		$this->assertSame( 8, $this->stock( 'A' )['stock'], 'counted by the ERP: not taken twice' );
		$this->apply( array( array( 'A', 5, $this->ms( 2000 ) ) ) );
		$this->assertSame( 5, $this->stock( 'A' )['stock'] );
	}

	/**
	 * @testdox a reading older than or as old as the last applied one is refused (skipped_stale) and changes nothing
	 */
	public function test_monotonic(): void {
		$this->product( 'A', 0 );
		$this->apply( array( array( 'A', 10, $this->ms( 0 ) ) ) );
		$r = $this->apply( array( array( 'A', 3, $this->ms( -1000 ) ) ) );
		$this->assertSame( 1, $r['skipped_stale'] );
		$this->assertSame( 0, $r['applied'] );
		$this->assertSame( 10, $this->stock( 'A' )['stock'] );
	}

	/**
	 * @testdox variations are applied by their own SKU and the status of a variable parent not managing stock follows
	 */
	public function test_variations(): void {
		$parent = syncline_test_create_product(
			array(
				'sku'          => $this->p . 'PARENT',
				'manage_stock' => false,
			)
		);
		$this->product( 'V-S', 5, 'no', $parent );
		$this->product( 'V-M', 5, 'no', $parent );
		$this->apply( array( array( 'V-S', 0, $this->ms( 0 ) ), array( 'V-M', 0, $this->ms( 0 ) ) ) );
		$this->assertSame( 'outofstock', $this->stock( 'V-S' )['status'] );
		$this->assertSame( 'outofstock', get_post_meta( $parent, '_stock_status', true ) );
		$this->apply( array( array( 'V-M', 4, $this->ms( 1000 ) ) ) );
		$this->assertSame( 4, $this->stock( 'V-M' )['stock'] );
		wp_cache_delete( $parent, 'post_meta' );
		$this->assertSame( 'instock', get_post_meta( $parent, '_stock_status', true ) );
	}

	/**
	 * @testdox stock at or below WooCommerce's out-of-stock threshold (woocommerce_notify_no_stock_amount) is out of stock
	 */
	public function test_out_of_stock_threshold(): void {
		$this->product( 'A', 10 );
		$this->product( 'B', 10, 'yes' );
		update_option( 'woocommerce_notify_no_stock_amount', 2 );
		try {
			$this->apply( array( array( 'A', 2, $this->ms( 0 ) ), array( 'B', 2, $this->ms( 0 ) ) ) );
			$this->apply( array( array( 'A', 3, $this->ms( 1000 ) ) ) );
		} finally {
			delete_option( 'woocommerce_notify_no_stock_amount' );
		}
		$this->assertSame( 'instock', $this->stock( 'A' )['status'] );
		$this->assertSame( 'onbackorder', $this->stock( 'B' )['status'] );
		$this->assertSame( 'onbackorder', $this->stock( 'B' )['lookup_status'] );
	}

	/**
	 * @testdox a variable parent that manages its own stock keeps its own status; variations it manages follow it
	 */
	public function test_parent_managing_stock(): void {
		$parent = $this->product( 'PARENT', 5 );
		$this->product( 'V-S', 5, 'no', $parent );
		$follower = syncline_test_create_product(
			array(
				'sku'          => $this->p . 'V-P',
				'manage_stock' => false,
				'parent'       => $parent,
			)
		);
		$this->apply( array( array( 'V-S', 0, $this->ms( 0 ) ) ) );
		$this->assertSame( 'outofstock', $this->stock( 'V-S' )['status'] );
		wp_cache_delete( $parent, 'post_meta' );
		$this->assertSame( 'instock', get_post_meta( $parent, '_stock_status', true ), 'the parent has 5 of its own' );
		$this->apply( array( array( 'PARENT', 0, $this->ms( 0 ) ) ) );
		$this->assertSame( 'outofstock', $this->stock( 'PARENT' )['status'] );
		wp_cache_delete( $follower, 'post_meta' );
		$this->assertSame( 'outofstock', get_post_meta( $follower, '_stock_status', true ), 'a variation the parent manages follows it' );
		$this->assertSame( 'outofstock', $this->db->value( 'SELECT stock_status FROM ' . $this->db->prefix() . 'wc_product_meta_lookup WHERE product_id = %d', array( $follower ) ) );
	}

	/**
	 * @testdox SKUs in the ERP but not in the store are reported, not errors; the others are applied
	 */
	public function test_unknown_in_store(): void {
		$this->product( 'A', 0 );
		$r = $this->apply( array( array( 'NOPE', 3, $this->ms( 0 ) ), array( 'A', 3, $this->ms( 0 ) ) ) );
		$this->assertSame( array( $this->p . 'NOPE' ), $r['unknown_in_store'] );
		$this->assertSame( 1, $r['applied'] );
	}

	/**
	 * @testdox SKUs in the store but not in the ERP become one needs-human event each (topic stock.unknown_sku)
	 */
	public function test_missing_in_erp(): void {
		$this->product( 'A', 1 );
		$body = array( 'skus' => array( $this->p . 'A', $this->p . 'NOT-IN-STORE' ) );
		$r    = $this->signed( '/syncline/v1/stock/missing', $body )->get_data();
		$this->assertSame( 1, $r['recorded'] );
		$this->assertSame( 1, $r['not_in_store'] );
		$again = $this->signed( '/syncline/v1/stock/missing', $body )->get_data();
		$this->assertSame( 1, $again['already_open'] );
		$events = $this->events();
		$this->assertCount( 1, $events );
		$this->assertSame( 'stock.unknown_sku', $events[0]['topic'] );
		$this->assertSame( 'needs_human', $events[0]['state'] );
		$this->assertStringContainsString( $this->p . 'A', (string) $events[0]['last_error_message'] );
	}

	/**
	 * @testdox a restore after the ERP counted the order is taken back until the ERP cancels its own order
	 */
	public function test_restore_after_count(): void {
		$this->product( 'A', 0 );
		$this->apply( array( array( 'A', 10, $this->ms( -5000 ) ) ) );
		$order = $this->checkout( array( 'A' => 3 ) );
		$this->erp_counts( $order );
		wc_increase_stock_levels( $order );
		$this->assertSame( 7, $this->stock( 'A' )['stock'], 'the ERP still holds the 3 units' );
		$this->apply( array( array( 'A', 7, $this->ms( 1000 ) ) ) );
		$this->assertSame( 7, $this->stock( 'A' )['stock'] );
		$this->apply( array( array( 'A', 10, $this->ms( 2000 ) ) ) );
		$this->assertSame( 10, $this->stock( 'A' )['stock'], 'ERP cancelled its order: units back once' );
	}

	/**
	 * @testdox a restore before the ERP counted the order needs no correction
	 */
	public function test_restore_before_count(): void {
		$this->product( 'A', 0 );
		$this->apply( array( array( 'A', 10, $this->ms( -5000 ) ) ) );
		$order = $this->checkout( array( 'A' => 3 ) );
		wc_increase_stock_levels( $order );
		$this->assertSame( 10, $this->stock( 'A' )['stock'] );
		$this->apply( array( array( 'A', 10, $this->ms( 1000 ) ) ) );
		$this->assertSame( 10, $this->stock( 'A' )['stock'] );
	}

	/**
	 * @testdox the take-back after a restore of counted stock keeps stock status and the lookup table right
	 */
	public function test_restore_after_count_invariants(): void {
		$this->product( 'A', 0 );
		$this->apply( array( array( 'A', 3, $this->ms( -5000 ) ) ) );
		$order = $this->checkout( array( 'A' => 3 ) );
		$this->erp_counts( $order );
		wc_increase_stock_levels( $order );
		$this->assertSame(
			array(
				'stock'         => 0,
				'status'        => 'outofstock',
				'lookup_qty'    => 0,
				'lookup_status' => 'outofstock',
			),
			$this->stock( 'A' ),
			'the ERP still holds the 3 units: none to sell'
		);
		if ( function_exists( 'wc_get_product' ) ) { // Real WooCommerce: its product object reads the same (no stale cache).
			$this->assertSame( 0, (int) wc_get_product( (int) wc_get_product_id_by_sku( $this->p . 'A' ) )->get_stock_quantity() );
		}
	}
}

<?php
/**
 * Master data apply on the real WooCommerce: only owned fields that changed are written, unchanged products are not
 * saved, variations by SKU, drafts for missing products, conflicts and unmapped values as exceptions, dry runs,
 * the cursor, tax classes, and placed orders untouched.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Products;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\EventLog;
use Syncline\Products\ProductExceptions;
use Syncline\Products\ProductsContext;
use Syncline\Products\ProductsSettings;
use Syncline\Products\SaveBatch;
use Syncline\Tests\Integration\Rest\RestTestCase;

/**
 * Runs inside IntegrationTestCase's rolled-back transaction; SKUs are unique per test.
 */
class ProductsApplyTest extends RestTestCase {

	/**
	 * Per-test SKU prefix.
	 *
	 * @var string
	 */
	private string $p;

	/** Real WooCommerce only (product types, variations, orders). */
	protected function setUp(): void {
		parent::setUp();
		if ( ! function_exists( 'syncline_test_real_wc' ) || ! syncline_test_real_wc() ) {
			$this->markTestSkipped( 'Needs the real WooCommerce.' );
		}
		$this->p = 'M' . bin2hex( random_bytes( 4 ) ) . '-';
		$this->settings( null, false );
	}

	/** Settings back to their defaults. */
	protected function tearDown(): void {
		$this->settings( null, false );
		delete_option( ProductsContext::CURSOR_OPTION );
		parent::tearDown();
	}

	/**
	 * Sets the ownership and create-missing settings (null owned: the default).
	 *
	 * @param array<int, string>|null $owned  Owned fields.
	 * @param bool                    $create Create missing products.
	 */
	private function settings( ?array $owned, bool $create ): void {
		wp_cache_flush(); // Options cached by an earlier, rolled-back test would make update_option a no-op.
		$s = get_option( Options::SETTINGS, array() );
		$s = is_array( $s ) ? $s : array();
		unset( $s[ ProductsSettings::OWNED_KEY ] );
		if ( null !== $owned ) {
			$s[ ProductsSettings::OWNED_KEY ] = $owned;
		}
		$s[ ProductsSettings::CREATE_KEY ] = $create;
		update_option( Options::SETTINGS, $s );
	}

	/**
	 * A simple product.
	 *
	 * @param string $sku   SKU (prefixed).
	 * @param string $price Regular price.
	 */
	private function product( string $sku, string $price = '10' ): int {
		return syncline_test_create_product(
			array(
				'sku'   => $this->p . $sku,
				'name'  => 'Store name ' . $sku,
				'price' => $price,
				'stock' => 5,
			)
		);
	}

	/**
	 * Signed apply; asserts 200.
	 *
	 * @param array<int, array<string, mixed>> $items Items (refs prefixed here).
	 * @param array<string, mixed>             $extra Other body fields.
	 * @return array<string, mixed>
	 */
	private function apply( array $items, array $extra = array() ): array {
		$items    = array_map( fn ( $i ) => array( 'ref' => $this->p . $i['ref'] ) + $i, $items );
		$response = $this->signed( '/syncline/v1/products/apply', array( 'items' => $items ) + $extra );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return (array) json_decode( (string) wp_json_encode( $response->get_data() ), true );
	}

	/**
	 * A fresh product object.
	 *
	 * @param int $id Id.
	 */
	private function fresh( int $id ): \WC_Product {
		wc_delete_product_transients( $id );
		clean_post_cache( $id );
		$product = wc_get_product( $id );
		$this->assertInstanceOf( \WC_Product::class, $product );
		return $product;
	}

	/** Only owned fields change. */
	public function test_only_owned_fields_change(): void {
		$this->settings( array( 'regular_price', 'weight' ), false );
		update_option( 'woocommerce_weight_unit', 'kg' );
		$id = $this->product( 'A' );
		$r  = $this->apply(
			array(
				array(
					'ref'           => 'A',
					'name'          => 'ERP name',
					'regular_price' => '12.50',
					'weight_g'      => 1500,
				),
			)
		);
		$this->assertSame( 1, $r['written'] );
		$p = $this->fresh( $id );
		$this->assertSame( '12.50', $p->get_regular_price() );
		$this->assertSame( 'Store name A', $p->get_name(), 'name is not owned: the store keeps its own' );
		$this->assertSame( '1.5', $p->get_weight(), '1500 g in the store\'s unit (kg)' );
		$this->assertSame( array( 'regular_price', 'weight' ), array_keys( $r['changes'][0]['fields'] ) );
		$lookup = $this->db->row( 'SELECT min_price FROM ' . $this->db->prefix() . 'wc_product_meta_lookup WHERE product_id = %d', array( $id ) );
		$this->assertSame( 12.5, (float) ( $lookup['min_price'] ?? 0 ), 'lookup table follows (WooCommerce product API)' );
	}

	/** Unchanged products are not written. */
	public function test_unchanged_products_are_not_written(): void {
		$id    = $this->product( 'B', '9.90' );
		$item  = array(
			'ref'           => 'B',
			'name'          => 'Store name B',
			'regular_price' => '9.9',
			'tax_class'     => '',
		);
		$saves = 0;
		$count = function () use ( &$saves ) {
			++$saves;
		};
		add_action( 'woocommerce_update_product', $count );
		try {
			$r = $this->apply( array( $item ) );
		} finally {
			remove_action( 'woocommerce_update_product', $count );
		}
		$this->assertSame( 0, $r['written'] );
		$this->assertSame( 1, $r['unchanged'] );
		$this->assertSame( 0, $saves, 'no save, no hook, for an unchanged product' );
		$this->assertSame( '9.90', $this->fresh( $id )->get_regular_price( 'edit' ), 'stored value untouched' );
	}

	/** Variations by sku and a price on a variable parent is a conflict. */
	public function test_variations_by_sku_and_a_price_on_a_variable_parent_is_a_conflict(): void {
		$parent = $this->product( 'PARENT' );
		$var    = syncline_test_create_product(
			array(
				'sku'    => $this->p . 'VAR',
				'parent' => $parent,
				'price'  => '5',
				'stock'  => 1,
			)
		);
		$r      = $this->apply(
			array(
				array(
					'ref'           => 'VAR',
					'regular_price' => '7.25',
					'status'        => 'draft',
				),
				array(
					'ref'           => 'PARENT',
					'regular_price' => '99',
				),
			)
		);
		$this->assertSame( '7.25', $this->fresh( $var )->get_regular_price() );
		$this->assertSame( 1, $r['exceptions_recorded'] );
		$events = $this->events();
		$this->assertSame( ProductExceptions::TOPIC, $events[0]['topic'] );
		$this->assertSame( 'product_conflict', $events[0]['last_error_code'] );
		$this->assertSame( 'needs_human', $events[0]['state'] );
		$this->assertStringContainsString( $this->p . 'PARENT', (string) $events[0]['last_error_message'] );
	}

	/** Unmapped values are exceptions once. */
	public function test_unmapped_values_are_exceptions_once(): void {
		$this->product( 'C' );
		$exception = array(
			'ref'     => $this->p . 'C',
			'code'    => 'unmapped_vat_rate',
			'message' => 'VAT 7.7 % has no tax class.',
		);
		$this->apply( array( array( 'ref' => 'C' ) ), array( 'exceptions' => array( $exception ) ) );
		$this->apply( array( array( 'ref' => 'C' ) ), array( 'exceptions' => array( $exception ) ) );
		$rows = array_filter( $this->events(), static fn ( $e ) => 'unmapped_vat_rate' === $e['last_error_code'] );
		$this->assertCount( 1, $rows, 'an open exception is not recorded twice' );
	}

	/** Missing products are unknown or created as drafts. */
	public function test_missing_products_are_unknown_or_created_as_drafts(): void {
		$new = array(
			array(
				'ref'           => 'NEW',
				'name'          => 'From the ERP',
				'regular_price' => '3',
				'status'        => 'publish',
			),
		);
		$r   = $this->apply( $new );
		$this->assertSame( array( $this->p . 'NEW' ), $r['unknown'] );
		$this->settings( null, true );
		$r  = $this->apply( $new );
		$id = wc_get_product_id_by_sku( $this->p . 'NEW' );
		$this->assertSame( 1, $r['created'] );
		$p = $this->fresh( $id );
		$this->assertSame( 'draft', $p->get_status(), 'created as a draft, whatever the ERP status' );
		$this->assertSame( 'From the ERP', $p->get_name() );
		$this->assertSame( '3', $p->get_regular_price() );
	}

	/** Dry run writes nothing and says what would change. */
	public function test_dry_run_writes_nothing_and_says_what_would_change(): void {
		$id = $this->product( 'D', '10' );
		$r  = $this->apply(
			array(
				array(
					'ref'           => 'D',
					'regular_price' => '11',
				),
			),
			array(
				'dry_run' => true,
				'cursor'  => '2026-01-01 00:00:00',
			)
		);
		$this->assertSame( 1, $r['written'] );
		$this->assertSame(
			array(
				'from' => '10',
				'to'   => '11',
			),
			$r['changes'][0]['fields']['regular_price']
		);
		$this->assertSame( '10', $this->fresh( $id )->get_regular_price() );
		$this->assertFalse( get_option( ProductsContext::CURSOR_OPTION ), 'a dry run does not move the cursor' );
	}

	/** Context carries ownership tax classes and the cursor. */
	public function test_context_carries_ownership_tax_classes_and_the_cursor(): void {
		$this->apply( array(), array( 'cursor' => '2026-11-30 10:00:00' ) );
		$response = $this->signed( '/syncline/v1/products/context', array() );
		$data     = (array) json_decode( (string) wp_json_encode( $response->get_data() ), true );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( ProductsSettings::DEFAULT_OWNED, $data['owned'] );
		$this->assertSame( '2026-11-30 10:00:00', $data['cursor'] );
		$this->assertIsBool( $data['prices_include_tax'] );
		$this->assertSame( '5.5', ProductsContext::normalise( '5.5000' ) );
		$this->assertSame( '20', ProductsContext::normalise( '20.000' ) );
	}

	/** Tax class from the store rates and the mapping. */
	public function test_tax_class_from_the_store_rates_and_the_mapping(): void {
		global $wpdb;
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_tax_rates',
			array(
				'tax_rate_country' => 'FR',
				'tax_rate'         => '5.5000',
				'tax_rate_name'    => 'TVA réduite',
				'tax_rate_class'   => 'reduced-rate',
			)
		);
		$data = (array) json_decode( (string) wp_json_encode( $this->signed( '/syncline/v1/products/context', array() )->get_data() ), true );
		$this->assertSame( 'reduced-rate', $data['tax_classes']['5.5'] ?? null );
		$id = $this->product( 'T' );
		$this->apply(
			array(
				array(
					'ref'       => 'T',
					'tax_class' => 'reduced-rate',
				),
			)
		);
		$this->assertSame( 'reduced-rate', $this->fresh( $id )->get_tax_class() );
	}

	/** A price change never touches a placed order. */
	public function test_a_price_change_never_touches_a_placed_order(): void {
		$id    = $this->product( 'O', '10' );
		$order = wc_create_order();
		$order->add_product( wc_get_product( $id ), 2 );
		$order->calculate_totals();
		$order->save();
		$this->apply(
			array(
				array(
					'ref'           => 'O',
					'regular_price' => '30',
				),
			)
		);
		$again = wc_get_order( $order->get_id() );
		$this->assertSame( '20.00', $again->get_total() );
		$this->assertSame( '30', $this->fresh( $id )->get_regular_price() );
	}

	/** A bad item fails the whole request. */
	public function test_a_bad_item_fails_the_whole_request(): void {
		$response = $this->signed(
			'/syncline/v1/products/apply',
			array(
				'items' => array(
					array(
						'ref'           => 'X',
						'regular_price' => '-1',
					),
					array( 'ref' => 'X' ),
				),
			)
		);
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$this->assert_error( 401, 'syncline_bad_signature', $this->signed( '/syncline/v1/products/apply', array( 'items' => array() ), array( 'signature' => 'v1=00' ) ) );
	}

	/**
	 * @testdox a batch saved with the deferred work still leaves lookup table, stock status, object cache, transients and hooks right
	 */
	public function test_a_batch_keeps_lookup_table_caches_transients_and_hooks_right(): void {
		$this->settings( array( 'name', 'regular_price' ), false );
		$a = $this->product( 'BA' );
		$b = syncline_test_create_product(
			array(
				'sku'   => $this->p . 'BB',
				'name'  => 'Store name BB',
				'price' => '10',
				'stock' => 0,
			)
		);
		$this->assertSame( 'Store name BA', wc_get_product( $a )->get_name(), 'in the object cache before the batch' );
		set_transient( 'wc_products_onsale', array( 1 ) );
		set_transient( 'wc_var_prices_' . $a, array( 1 ) );
		set_transient( 'wc_admin_stock_count_outofstock', 3 );
		$report_hook = array( 'Automattic\\WooCommerce\\Admin\\ReportsSync', 'clear_stock_count_cache' );
		$before      = array(
			has_action( 'woocommerce_update_product', $report_hook ),
			has_action( 'transition_post_status', '__clear_multi_author_cache' ),
			has_filter( 'delete_post_metadata' ),
		);
		$saves       = array();
		$count       = static function ( $id ) use ( &$saves ) {
			$saves[] = (int) $id;
		};
		add_action( 'woocommerce_update_product', $count );
		$r = $this->apply(
			array(
				array(
					'ref'           => 'BA',
					'name'          => 'ERP name BA',
					'regular_price' => '12.50',
				),
				array(
					'ref'           => 'BB',
					'regular_price' => '7',
				),
			)
		);
		remove_action( 'woocommerce_update_product', $count );
		$this->assertSame( 2, $r['written'] );
		$this->assertSame( array( $a, $b ), $saves, 'woocommerce_update_product once per saved product' );
		$lookup = $this->db->rows( 'SELECT product_id, min_price, stock_status, stock_quantity FROM ' . $this->db->prefix() . 'wc_product_meta_lookup WHERE product_id IN (%d, %d) ORDER BY product_id', array( $a, $b ) );
		$this->assertSame( array( 12.5, 7.0 ), array_map( static fn ( $row ) => (float) $row['min_price'], $lookup ) );
		$this->assertSame( array( 'instock', 'outofstock' ), array_column( $lookup, 'stock_status' ) );
		$this->assertSame( 'ERP name BA', wc_get_product( $a )->get_name(), 'no stale product in the object cache' );
		$this->assertSame( 'ERP name BA', get_post( $a )->post_title );
		$this->assertSame( 'outofstock', wc_get_product( $b )->get_stock_status() );
		$this->assertFalse( get_transient( 'wc_products_onsale' ), 'global product transients cleared (once, at the end)' );
		$this->assertFalse( get_transient( 'wc_var_prices_' . $a ), 'product transients cleared' );
		$this->assertFalse( get_transient( 'wc_admin_stock_count_outofstock' ), 'the coalesced stock-count clearing ran' );
		$this->assertSame(
			$before,
			array(
				has_action( 'woocommerce_update_product', $report_hook ),
				has_action( 'transition_post_status', '__clear_multi_author_cache' ),
				has_filter( 'delete_post_metadata' ),
			),
			'every hook is back as it was'
		);
	}

	/**
	 * @testdox inside a batch, a delete of meta the post lacks is answered from the meta cache; a real delete still deletes
	 */
	public function test_save_batch_skips_only_deletes_of_absent_meta(): void {
		$id     = $this->product( 'MD' );
		$before = has_filter( 'delete_post_metadata' );
		$batch  = new SaveBatch();
		$batch->begin();
		try {
			update_post_meta( $id, '_syncline_probe', 'x' );
			$this->assertFalse( delete_post_meta( $id, '_syncline_absent' ) );
			$this->assertTrue( delete_post_meta( $id, '_syncline_probe' ) );
			wp_cache_delete( $id, 'post_meta' );
			$this->assertSame( '', get_post_meta( $id, '_syncline_probe', true ), 'really deleted' );
			$this->assertFalse( delete_post_meta( $id, '_syncline_probe' ) );
		} finally {
			$batch->end();
		}
		$this->assertSame( $before, has_filter( 'delete_post_metadata' ), 'the filter is gone after the batch' );
	}

	/**
	 * @testdox a product exception closes itself when its cause is gone: the next sync of the SKU without it, or its VAT rate mapped
	 */
	public function test_exceptions_close_when_the_cause_is_gone(): void {
		$this->settings( array( 'categories' ), false );
		$this->product( 'EX' );
		$category = 'Syncline cat ' . $this->p;
		$item     = array(
			'ref'        => 'EX',
			'categories' => array( $category ),
		);
		$this->assertSame( 1, $this->apply( array( $item ) )['exceptions_recorded'] );
		$open = $this->product_exceptions();
		$this->assertSame( array( 'unmapped_category' => 'needs_human' ), array_column( $open, 'state', 'last_error_code' ) );
		$this->assertSame( 0, $this->apply( array( $item ) )['exceptions_resolved'], 'still unmapped: stays open' );

		wp_insert_term( $category, 'product_cat' );
		$r = $this->apply( array( $item ) );
		$this->assertSame( 1, $r['exceptions_resolved'] );
		$row = $this->product_exceptions()[0];
		$this->assertSame( 'done', $row['state'] );
		$log = ( new EventLog( $this->db, $this->clock ) )->for_event( (int) $row['id'] );
		$this->assertSame( 'resolved', end( $log )['kind'] );
		$this->assertStringContainsString( $this->p . 'EX', (string) end( $log )['message'] );

		$rate = '7.7';
		$vat  = array(
			'ref'     => ProductExceptions::VAT_PREFIX . $rate,
			'code'    => ProductExceptions::VAT_CODE,
			'message' => 'VAT 7.7 % has no tax class.',
		);
		$this->apply( array( array( 'ref' => 'EX' ) ), array( 'exceptions' => array( $vat ) ) );
		$this->assertSame( 0, $this->apply( array( array( 'ref' => 'EX' ) ) )['exceptions_resolved'], 'no 7.7 % rate in the store yet' );
		global $wpdb;
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_tax_rates',
			array(
				'tax_rate_country' => 'CH',
				'tax_rate'         => '7.7000',
				'tax_rate_name'    => 'MWST',
				'tax_rate_class'   => '',
			)
		);
		$this->assertSame( 1, $this->apply( array( array( 'ref' => 'EX' ) ) )['exceptions_resolved'] );
		$vat_row = array_values( array_filter( $this->product_exceptions(), static fn ( $e ) => ProductExceptions::VAT_CODE === $e['last_error_code'] ) )[0];
		$this->assertSame( 'done', $vat_row['state'] );
		$log = ( new EventLog( $this->db, $this->clock ) )->for_event( (int) $vat_row['id'] );
		$this->assertStringContainsString( '7.7', (string) end( $log )['message'] );
	}

	/**
	 * @testdox categories owned by the ERP: set by name; none in the ERP is WooCommerce's default category, and then unchanged
	 */
	public function test_categories_from_the_erp(): void {
		$this->settings( array( 'categories' ), false );
		$id    = $this->product( 'CAT' );
		$shoes = wp_insert_term( 'Shoes ' . $this->p, 'product_cat' );
		$this->assertIsArray( $shoes );
		$item = array(
			'ref'        => 'CAT',
			'categories' => array( 'Shoes ' . $this->p ),
		);
		$this->assertSame( 1, $this->apply( array( $item ) )['written'] );
		$this->assertSame( array( (int) $shoes['term_id'] ), $this->fresh( $id )->get_category_ids() );
		$this->assertSame( 1, $this->apply( array( $item ) )['unchanged'] );

		$none = array(
			'ref'        => 'CAT',
			'categories' => array(),
		);
		$this->assertSame( 1, $this->apply( array( $none ) )['written'] );
		$default = (int) get_option( 'default_product_cat', 0 );
		$this->assertSame( $default > 0 ? array( $default ) : array(), $this->fresh( $id )->get_category_ids() );
		$this->assertSame( 1, $this->apply( array( $none ) )['unchanged'], 'no category = the default one: not written again' );
	}

	/**
	 * The product exception rows.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private function product_exceptions(): array {
		return array_values( array_filter( $this->events(), static fn ( $e ) => ProductExceptions::TOPIC === $e['topic'] ) );
	}
}

<?php
/**
 * WooCommerce hooks → outbox rows.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Hooks;

use Syncline\Hooks\OrderHooks;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * Fires WooCommerce's real hook names with made-up order ids. Only Syncline's callbacks listen meanwhile (a fresh
 * OrderHooks on the test's writer): other listeners, such as a real WooCommerce's, expect real orders.
 *
 * @testdox Order hooks
 */
final class OrderHooksTest extends IntegrationTestCase {

	private const HOOKS = array( 'woocommerce_new_order', 'woocommerce_order_status_changed', 'woocommerce_payment_complete', 'woocommerce_order_refunded', 'woocommerce_trash_order', 'woocommerce_delete_order', 'wp_trash_post', 'before_delete_post' );

	/**
	 * The hooks' listeners before the test.
	 *
	 * @var array<string, mixed>
	 */
	private array $saved = array();

	/**
	 * Leaves only a fresh Syncline listener on the order hooks.
	 */
	protected function setUp(): void {
		parent::setUp();
		global $wp_filter;
		foreach ( self::HOOKS as $hook ) {
			$this->saved[ $hook ] = $wp_filter[ $hook ] ?? null;
			unset( $wp_filter[ $hook ] );
		}
		( new OrderHooks( $this->writer() ) )->register();
	}

	/**
	 * Puts the other listeners back.
	 */
	protected function tearDown(): void {
		global $wp_filter;
		foreach ( $this->saved as $hook => $listeners ) {
			if ( null === $listeners ) {
				unset( $wp_filter[ $hook ] );
			} else {
				$wp_filter[ $hook ] = $listeners; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- restoring what setUp() took.
			}
		}
		parent::tearDown();
	}

	/**
	 * @testdox the same hook fired twice for one order leaves one coalesced pending row
	 */
	public function test_coalesces(): void {
		$id = $this->order_id();
		do_action( 'woocommerce_new_order', $id, null );
		do_action( 'woocommerce_new_order', $id, null );
		$this->assert_event_count( 1, $id, 'pending' );
		$row = $this->events()[0];
		$this->assertSame( 'order.created', $row['topic'] );
		$this->assertSame( "order.created:order:{$id}", $row['pending_key'] );
	}

	/**
	 * @testdox every order hook records its topic, all with the order's one correlation id
	 */
	public function test_topics(): void {
		$id = $this->order_id();
		do_action( 'woocommerce_new_order', $id, null );
		do_action( 'woocommerce_order_status_changed', $id, 'pending', 'processing', null );
		do_action( 'woocommerce_payment_complete', $id, 'txn' );
		do_action( 'woocommerce_order_refunded', $id, $id + 1 );
		do_action( 'woocommerce_trash_order', $id );
		do_action( 'woocommerce_delete_order', $id );
		$rows = $this->events();
		$this->assertSame( array( 'order.created', 'order.status_changed', 'order.paid', 'order.refunded', 'order.deleted' ), array_column( $rows, 'topic' ) );
		$this->assertCount( 1, array_unique( array_column( $rows, 'correlation_id' ) ) );
		$this->assertSame( $this->writer()->correlation_id( 'order', $id ), $rows[0]['correlation_id'] );
	}

	/**
	 * @testdox a hook after the pending row was leased records a new pending row
	 */
	public function test_new_row_after_lease(): void {
		$id = $this->order_id();
		do_action( 'woocommerce_new_order', $id, null );
		$this->assertCount( 1, $this->repository()->claim( 'w', 10, 60 ) );
		do_action( 'woocommerce_new_order', $id, null );
		$this->assert_event_count( 1, $id, 'leased' );
		$this->assert_event_count( 1, $id, 'pending' );
	}

	/**
	 * @testdox trashing or deleting a shop_order post (posts storage) records order.deleted, other posts do not
	 */
	public function test_legacy_posts(): void {
		$order = (int) wp_insert_post(
			array(
				'post_type'   => 'shop_order',
				'post_status' => 'publish',
				'post_title'  => 'o',
			)
		);
		$page  = (int) wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_status' => 'publish',
				'post_title'  => 'p',
			)
		);
		do_action( 'wp_trash_post', $order );
		do_action( 'before_delete_post', $order );
		do_action( 'wp_trash_post', $page );
		$this->assert_event_count( 1, $order, 'pending' );
		$this->assert_event_count( 0, $page, 'pending' );
		$this->assertSame( 'order.deleted', $this->events()[0]['topic'] );
	}
}

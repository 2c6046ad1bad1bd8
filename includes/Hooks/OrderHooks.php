<?php
/**
 * Which WooCommerce order hooks Syncline listens to.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\OutboxWriter;

/**
 * Every callback hands off to the outbox writer (one INSERT) and returns: no order loading, no HTTP.
 */
class OrderHooks implements Registerable {

	/**
	 * Topics per WooCommerce action (all pass the order id as their first argument).
	 */
	private const ACTIONS = array(
		'woocommerce_new_order'            => 'order.created',
		'woocommerce_order_status_changed' => 'order.status_changed',
		'woocommerce_payment_complete'     => 'order.paid',
		'woocommerce_order_refunded'       => 'order.refunded',
		'woocommerce_trash_order'          => 'order.deleted',
		'woocommerce_delete_order'         => 'order.deleted',
	);

	/**
	 * Builds the hooks.
	 *
	 * @param OutboxWriter      $writer The outbox writer.
	 * @param MissedOrders|null $missed Where a failed write is remembered (admin notice, sweep).
	 */
	public function __construct( private OutboxWriter $writer, private ?MissedOrders $missed = null ) {
	}

	/**
	 * Adds the hooks.
	 */
	public function register(): void {
		// Order lifecycle (HPOS and posts storage alike): created, status changed, paid, refunded, trashed/deleted.
		foreach ( self::ACTIONS as $action => $topic ) {
			add_action( $action, fn ( $order_id ) => $this->record( $topic, (int) $order_id ), 10, 1 );
		}
		// Posts storage only: orders trashed or deleted as posts (e.g. from the legacy list table).
		add_action( 'wp_trash_post', fn ( $post_id ) => $this->record_if_order_post( (int) $post_id ), 10, 1 );
		add_action( 'before_delete_post', fn ( $post_id ) => $this->record_if_order_post( (int) $post_id ), 10, 1 );
	}

	/**
	 * The listener of every order action: writes the outbox row. A failure is logged and the order remembered
	 * (admin notice, then the sweep enqueues it), never thrown into WooCommerce's checkout. Public so that
	 * `wp syncline bench hook-overhead` times exactly this and nothing else listening to the action.
	 *
	 * @param string $topic    Topic.
	 * @param int    $order_id Order id.
	 */
	public function record( string $topic, int $order_id ): void {
		if ( $order_id <= 0 ) {
			return;
		}
		try {
			$this->writer->record( $topic, 'order', $order_id );
		} catch ( \Throwable $e ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- must not break checkout.
			error_log( sprintf( 'Syncline: could not record %s for order %d: %s', $topic, $order_id, $e->getMessage() ) );
			try {
				$this->missed?->add( $order_id );
			} catch ( \Throwable $e2 ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the sweep's date window still finds it.
				error_log( 'Syncline: could not remember the order either: ' . $e2->getMessage() );
			}
		}
	}

	/**
	 * Records order.deleted when the post is a shop order (one cached post-type read, no order loading).
	 *
	 * @param int $post_id Post id.
	 */
	private function record_if_order_post( int $post_id ): void {
		if ( 'shop_order' === get_post_type( $post_id ) ) {
			$this->record( 'order.deleted', $post_id );
		}
	}
}

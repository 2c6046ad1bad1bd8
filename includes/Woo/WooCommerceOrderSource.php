<?php
/**
 * The only place Syncline calls WooCommerce.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Woo;

/**
 * OrderSource over WooCommerce's own PHP API: wc_get_order(), the wc/v3 orders controller and order meta.
 * HPOS-safe: meta goes through the order object and its data store.
 */
class WooCommerceOrderSource implements OrderSource {

	public const REFS_META = '_syncline_erp_refs';

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_order_payload( int $id ): ?array {
		$order = $this->order( $id );
		return null === $order ? null : $this->rest_shape( $order, $id );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 */
	public function order_payload( int $id ): OrderPayload {
		if ( ! function_exists( 'wc_get_order' ) || ! class_exists( \WC_REST_Orders_Controller::class ) ) {
			return OrderPayload::unavailable();
		}
		$loaded = wc_get_order( $id );
		if ( $loaded instanceof \WC_Order ) {
			$data = $this->rest_shape( $loaded, $id );
			return null === $data ? OrderPayload::unavailable() : OrderPayload::found( $data );
		}
		return OrderPayload::not_loaded( $loaded, false === $loaded && $this->order_row_exists( $id ) );
	}

	/**
	 * Whether an order row holds the id: WooCommerce's HPOS orders table, or an order post (legacy storage, or the
	 * placeholder post HPOS keeps). Deleting (not trashing) an order removes both.
	 *
	 * @param int $id Order id.
	 */
	private function order_row_exists( int $id ): bool {
		global $wpdb;
		$hpos = $wpdb->prefix . 'wc_orders';
		// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an existence check WooCommerce offers no API for; never cached.
		if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $hpos ) ) ) === $hpos
			&& null !== $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$hpos} WHERE id = %d", $id ) ) ) {
			return true;
		}
		$type = $wpdb->get_var( $wpdb->prepare( "SELECT post_type FROM {$wpdb->posts} WHERE ID = %d", $id ) );
		// phpcs:enable
		return in_array( $type, array( 'shop_order', 'shop_order_placehold', 'shop_order_refund' ), true );
	}

	/**
	 * The order through the wc/v3 controller's own response builder, or null when it gives no response.
	 *
	 * @param \WC_Order $order The order.
	 * @param int       $id    Order id.
	 * @return array<string, mixed>|null
	 */
	private function rest_shape( \WC_Order $order, int $id ): ?array {
		// In-process: the wc/v3 controller's own response builder, no HTTP and no permission check.
		$controller = new \WC_REST_Orders_Controller();
		$request    = new \WP_REST_Request( 'GET', '/wc/v3/orders/' . $id );
		$request->set_param( 'id', $id );
		$request->set_param( 'context', 'view' );
		$response = $controller->prepare_object_for_response( $order, $request );
		if ( ! $response instanceof \WP_REST_Response ) {
			return null;
		}
		$data = rest_get_server()->response_to_data( $response, false );
		return is_array( $data ) ? $data : null;
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int                  $id   Order id.
	 * @param array<string, mixed> $refs ERP refs.
	 */
	public function store_erp_refs( int $id, array $refs ): void {
		$order = $this->order( $id );
		if ( null === $order ) {
			return;
		}
		$order->update_meta_data( self::REFS_META, $refs );
		$order->save();
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_erp_refs( int $id ): ?array {
		$order = $this->order( $id );
		if ( null === $order ) {
			return null;
		}
		$refs = $order->get_meta( self::REFS_META, true );
		return is_array( $refs ) ? $refs : null;
	}

	/**
	 * {@inheritDoc}
	 */
	public function wc_version(): string {
		return defined( 'WC_VERSION' ) ? (string) WC_VERSION : '';
	}

	/**
	 * The order object, or null (also for refunds and when WooCommerce is missing).
	 *
	 * @param int $id Order id.
	 */
	private function order( int $id ): ?\WC_Order {
		if ( ! function_exists( 'wc_get_order' ) ) {
			return null;
		}
		$order = wc_get_order( $id );
		return $order instanceof \WC_Order ? $order : null;
	}
}

<?php
/**
 * The only place Syncline calls WooCommerce.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Woo;

/**
 * OrderSource over WooCommerce's own PHP API: wc_get_order(), the order getters (OrderShape) and order meta.
 * HPOS-safe: everything goes through the order object and its data store.
 */
class WooCommerceOrderSource implements OrderSource {

	public const REFS_META = '_syncline_erp_refs';

	/**
	 * Orders loaded by prime(), by id, each used once by order_payload().
	 *
	 * @var array<int, \WC_Order>
	 */
	private array $primed = array();

	/**
	 * The payload builder of the current lease batch (it remembers the batch's SKUs); a new one per prime().
	 *
	 * @var OrderShape|null
	 */
	private ?OrderShape $shape = null;

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
		if ( ! function_exists( 'wc_get_order' ) ) {
			return OrderPayload::unavailable();
		}
		$loaded = $this->primed[ $id ] ?? wc_get_order( $id );
		unset( $this->primed[ $id ] );
		if ( $loaded instanceof \WC_Order ) {
			$data = $this->rest_shape( $loaded, $id );
			return null === $data ? OrderPayload::unavailable() : OrderPayload::found( $data );
		}
		return OrderPayload::not_loaded( $loaded, false === $loaded && $this->order_row_exists( $id ) );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param array<int, int> $ids Order ids.
	 */
	public function prime( array $ids ): void {
		$this->primed = array();
		$this->shape  = null;
		$ids          = array_values( array_unique( array_map( 'intval', $ids ) ) );
		if ( count( $ids ) < 2 || ! function_exists( 'wc_get_orders' ) ) {
			return;
		}
		$orders = wc_get_orders(
			array(
				'post__in' => $ids,
				'type'     => 'shop_order',
				'limit'    => count( $ids ),
			)
		);
		foreach ( is_array( $orders ) ? $orders : array() as $order ) {
			if ( $order instanceof \WC_Order ) {
				$this->primed[ $order->get_id() ] = $order;
			}
		}
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
	 * The order's payload: the wc/v3 fields the sidecar reads (OrderShape), with Syncline's refund and credit detail.
	 * An order object without WooCommerce's getters (the test stand-in) goes through the wc/v3 controller instead.
	 *
	 * @param \WC_Order $order The order.
	 * @param int       $id    Order id.
	 * @return array<string, mixed>|null
	 */
	private function rest_shape( \WC_Order $order, int $id ): ?array {
		if ( ! is_callable( array( $order, 'get_base_data' ) ) || ! function_exists( 'wc_create_refund' ) ) {
			return $this->controller_shape( $order, $id );
		}
		$refunds                = $order->get_refunds();
		$this->shape          ??= new OrderShape( wc_get_price_decimals() );
		$data                   = $this->shape->order( $order, $refunds );
		$data['refunds_detail'] = $this->refunds_detail( $refunds );
		$data['credits_detail'] = $this->credits_detail( $order );
		return $data;
	}

	/**
	 * The order through the wc/v3 controller's own response builder, or null when it gives no response.
	 *
	 * @param \WC_Order $order The order.
	 * @param int       $id    Order id.
	 * @return array<string, mixed>|null
	 */
	private function controller_shape( \WC_Order $order, int $id ): ?array {
		if ( ! class_exists( \WC_REST_Orders_Controller::class ) ) {
			return null;
		}
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
		if ( ! is_array( $data ) ) {
			return null;
		}
		// Older WooCommerce builds and the test stand-in have no refund objects: wc/v3's `refunds` summary stays.
		if ( function_exists( 'wc_create_refund' ) ) {
			$data['refunds_detail'] = $this->refunds_detail( $order->get_refunds() );
		}
		$data['credits_detail'] = $this->credits_detail( $order );
		return $data;
	}

	/**
	 * Each refund with what it gave back (issue 8): the refunded line items, shipping and fees with their amounts
	 * and tax per rate, from WooCommerce's own refund objects (HPOS-safe: WC_Order::get_refunds()). Amounts and
	 * quantities are negative, as WooCommerce stores them; `refunded_item_id` is the order item refunded.
	 *
	 * @param array<int, \WC_Order_Refund> $refunds The order's refunds (WC_Order::get_refunds()).
	 * @return array<int, array<string, mixed>>
	 */
	private function refunds_detail( array $refunds ): array {
		$out = array();
		foreach ( $refunds as $refund ) {
			$created = $refund->get_date_created();
			$out[]   = array(
				'id'               => $refund->get_id(),
				'date_created_gmt' => null === $created ? '' : gmdate( 'Y-m-d\TH:i:s', $created->getTimestamp() ),
				'amount'           => wc_format_decimal( $refund->get_amount(), wc_get_price_decimals() ),
				'reason'           => (string) $refund->get_reason(),
				'refunded_payment' => (bool) $refund->get_refunded_payment(),
				'line_items'       => $this->refund_items( $refund, 'line_item' ),
				'shipping_lines'   => $this->refund_items( $refund, 'shipping' ),
				'fee_lines'        => $this->refund_items( $refund, 'fee' ),
			);
		}
		return $out;
	}

	/**
	 * The items of one type a refund gave back.
	 *
	 * @param \WC_Order_Refund $refund The refund.
	 * @param string           $type   line_item, shipping or fee.
	 * @return array<int, array<string, mixed>>
	 */
	private function refund_items( \WC_Order_Refund $refund, string $type ): array {
		$out = array();
		foreach ( $refund->get_items( $type ) as $item ) {
			if ( ! ( $item instanceof \WC_Order_Item_Product || $item instanceof \WC_Order_Item_Shipping || $item instanceof \WC_Order_Item_Fee ) ) {
				continue;
			}
			$taxes = $item->get_taxes();
			$rates = array();
			foreach ( (array) ( $taxes['total'] ?? array() ) as $rate_id => $amount ) {
				if ( '' !== (string) $amount ) {
					$rates[] = array(
						'id'    => (int) $rate_id,
						'total' => wc_format_decimal( (string) $amount, '' ),
					);
				}
			}
			$out[] = array(
				'refunded_item_id' => (int) $item->get_meta( '_refunded_item_id', true ),
				'name'             => $item->get_name(),
				'quantity'         => (int) $item->get_quantity(),
				'total'            => wc_format_decimal( (string) $item->get_total(), wc_get_price_decimals() ),
				'total_tax'        => wc_format_decimal( (string) $item->get_total_tax(), wc_get_price_decimals() ),
				'taxes'            => $rates,
			);
		}
		return $out;
	}

	/**
	 * Gift cards and store credit used as tender, from extensions that implement the `syncline_order_credits`
	 * filter (WooCommerce core has none): a list of `kind` (gift_card|store_credit), `code`, `amount` (decimal).
	 *
	 * @param \WC_Order $order The order.
	 * @return array<int, array{kind: string, code: string, amount: string}>
	 */
	private function credits_detail( \WC_Order $order ): array {
		$credits = apply_filters( 'syncline_order_credits', array(), $order );
		$out     = array();
		foreach ( is_array( $credits ) ? $credits : array() as $c ) {
			if ( is_array( $c ) && in_array( $c['kind'] ?? '', array( 'gift_card', 'store_credit' ), true ) ) {
				$out[] = array(
					'kind'   => (string) $c['kind'],
					'code'   => (string) ( $c['code'] ?? '' ),
					'amount' => wc_format_decimal( (string) ( $c['amount'] ?? '0' ), wc_get_price_decimals() ),
				);
			}
		}
		return $out;
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
		if ( $order->get_meta( self::REFS_META, true ) === $refs ) {
			return;
		}
		$order->update_meta_data( self::REFS_META, $refs );
		// Only the meta row: Syncline's bookkeeping is not a change of the order, so no full save (HPOS would save the
		// whole order to bump its modified date, firing woocommerce_update_order and everything listening to it).
		$meta_only = '__return_false';
		add_filter( 'woocommerce_orders_table_datastore_should_save_after_meta_change', $meta_only );
		try {
			$order->save_meta_data();
		} finally {
			remove_filter( 'woocommerce_orders_table_datastore_should_save_after_meta_change', $meta_only );
		}
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

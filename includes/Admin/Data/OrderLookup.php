<?php
/**
 * What the admin screen shows about an order: number, status, total, SKUs, edit link.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Infrastructure\Options;
use Syncline\Woo\OrderSource;

/**
 * Reads orders only through the WooCommerce seam (OrderSource: the wc/v3 shape the sidecar also gets).
 */
final class OrderLookup {

	/**
	 * Builds the lookup.
	 *
	 * @param OrderSource $orders  The WooCommerce seam.
	 * @param Options     $options Options (whether HPOS is on, for the edit link).
	 */
	public function __construct( private OrderSource $orders, private Options $options ) {
	}

	/**
	 * A short summary of the order, or null when it no longer exists (or WooCommerce is inactive).
	 *
	 * @param int $order_id Order id.
	 * @return array{order_id: int, number: string|null, status: string|null, total: string|null, currency: string|null, skus: array<int, string>}|null
	 */
	public function summary( int $order_id ): ?array {
		$order = $this->orders->get_order_payload( $order_id );
		if ( null === $order ) {
			return null;
		}
		$skus = array();
		foreach ( (array) ( $order['line_items'] ?? array() ) as $item ) {
			if ( is_array( $item ) && isset( $item['sku'] ) && '' !== (string) $item['sku'] ) {
				$skus[] = (string) $item['sku'];
			}
		}
		return array(
			'order_id' => $order_id,
			'number'   => isset( $order['number'] ) ? (string) $order['number'] : (string) $order_id,
			'status'   => isset( $order['status'] ) ? (string) $order['status'] : null,
			'total'    => isset( $order['total'] ) ? (string) $order['total'] : null,
			'currency' => isset( $order['currency'] ) ? (string) $order['currency'] : null,
			'skus'     => array_values( array_unique( $skus ) ),
		);
	}

	/**
	 * ERP refs stored on the order (order meta `_syncline_erp_refs`), or null.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, mixed>|null
	 */
	public function erp_refs( int $order_id ): ?array {
		return $this->orders->get_erp_refs( $order_id );
	}

	/**
	 * The wp-admin edit link of the order, HPOS (admin.php?page=wc-orders) or legacy (post.php).
	 *
	 * @param int $order_id Order id.
	 */
	public function edit_url( int $order_id ): string {
		if ( 'yes' === $this->options->get( 'woocommerce_custom_orders_table_enabled', 'no' ) ) {
			return add_query_arg(
				array(
					'page'   => 'wc-orders',
					'action' => 'edit',
					'id'     => $order_id,
				),
				admin_url( 'admin.php' )
			);
		}
		return add_query_arg(
			array(
				'post'   => $order_id,
				'action' => 'edit',
			),
			admin_url( 'post.php' )
		);
	}
}

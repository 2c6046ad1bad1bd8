<?php
/**
 * Which orders exist: the sweep's and the resync's view of WooCommerce.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Exception\InvalidRequest;

/**
 * Lists order ids through WooCommerce's own query API (wc_get_orders: HPOS and posts storage alike), never
 * loading full orders for a list.
 */
class OrderIds {

	/**
	 * Ids of orders (not refunds) created at or after a time, oldest first (or newest first).
	 *
	 * @param int                $since        Unix time.
	 * @param array<int, string> $statuses     Statuses without `wc-` (empty: every status).
	 * @param int                $limit        Most ids.
	 * @param bool               $newest_first Newest first (so that a limit keeps the most recent).
	 * @return array<int, int>
	 * @throws InvalidRequest When WooCommerce is not active.
	 */
	public function created_since( int $since, array $statuses, int $limit, bool $newest_first = false ): array {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			throw new InvalidRequest( esc_html__( 'WooCommerce is not active: no orders to look at.', 'syncline' ) );
		}
		$query = array(
			'type'         => 'shop_order',
			'date_created' => '>=' . $since,
			'limit'        => $limit,
			'return'       => 'ids',
			'orderby'      => 'ID',
			'order'        => $newest_first ? 'DESC' : 'ASC',
		);
		if ( array() !== $statuses ) {
			$query['status'] = array_map( static fn ( $s ) => 'wc-' . $s, $statuses );
		}
		$ids = wc_get_orders( $query );
		$out = array();
		foreach ( is_array( $ids ) ? $ids : array() as $id ) {
			$out[] = is_object( $id ) ? (int) $id->get_id() : (int) $id;
		}
		return $out;
	}

	/**
	 * The status (without `wc-`) of each order that exists, by id.
	 *
	 * @param array<int, int> $ids Order ids.
	 * @return array<int, string>
	 */
	public function statuses( array $ids ): array {
		$out = array();
		foreach ( $ids as $id ) {
			$order = function_exists( 'wc_get_order' ) ? wc_get_order( $id ) : false;
			if ( is_object( $order ) && method_exists( $order, 'get_status' ) && ( ! method_exists( $order, 'get_type' ) || 'shop_order' === $order->get_type() ) ) {
				$out[ $id ] = (string) $order->get_status();
			}
		}
		return $out;
	}

	/**
	 * The order statuses WooCommerce knows, without `wc-`.
	 *
	 * @return array<int, string>
	 */
	public function known_statuses(): array {
		$statuses = function_exists( 'wc_get_order_statuses' ) ? array_keys( wc_get_order_statuses() ) : array( 'wc-pending', 'wc-processing', 'wc-on-hold', 'wc-completed', 'wc-cancelled', 'wc-refunded', 'wc-failed' );
		return array_map( static fn ( $s ) => (string) preg_replace( '/^wc-/', '', (string) $s ), $statuses );
	}
}

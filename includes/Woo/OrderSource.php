<?php
/**
 * The WooCommerce seam: everything Syncline asks of WooCommerce.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Woo;

/**
 * Orders as the wc/v3 REST API shows them, plus Syncline's ERP refs stored on the order.
 *
 * Promises: payloads carry the wc/v3 order fields the sidecar reads (src/wp/order-fields.json), each exactly as
 * GET /wc/v3/orders/<id> shows it, built in-process, plus Syncline's `refunds_detail` and `credits_detail`.
 * Hides: WooCommerce classes, storage mode (HPOS or posts) and permissions.
 */
interface OrderSource {

	/**
	 * The order's payload (wc/v3 fields), or null when it does not exist (e.g. deleted).
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_order_payload( int $id ): ?array;

	/**
	 * The order's payload (wc/v3 fields) with what WooCommerce said: found, deleted (confirmed gone) or
	 * unavailable (could not be loaded now; never to be taken for deleted).
	 *
	 * @param int $id Order id.
	 */
	public function order_payload( int $id ): OrderPayload;

	/**
	 * Loads these orders in one go (WooCommerce's batch read: order rows, meta, items and refunds in a few queries),
	 * so that the payloads built next do not each read their order alone. A hint: an order it does not load is read
	 * on its own later, and each primed order is used once.
	 *
	 * @param array<int, int> $ids Order ids.
	 */
	public function prime( array $ids ): void;

	/**
	 * Stores the ERP refs on the order (meta `_syncline_erp_refs`). Does nothing when the order is gone.
	 *
	 * @param int                  $id   Order id.
	 * @param array<string, mixed> $refs ERP refs.
	 */
	public function store_erp_refs( int $id, array $refs ): void;

	/**
	 * The ERP refs stored on the order, or null.
	 *
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	public function get_erp_refs( int $id ): ?array;

	/**
	 * The WooCommerce version ('' when WooCommerce is not loaded).
	 */
	public function wc_version(): string;
}

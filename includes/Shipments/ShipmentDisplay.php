<?php
/**
 * Shipments on the customer's order page and in the admin order screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

/**
 * Renders an order's ledger: each shipment (reference, date, items, carrier, tracking link) and what is still to
 * ship. The same HTML serves the customer's "view order" page and the admin meta box (which titles the lines
 * still to ship "Backordered").
 *
 * @phpstan-import-type Record from OrderShipments
 * @phpstan-import-type Progress from ShipmentProgress
 */
class ShipmentDisplay {

	/**
	 * Builds the renderer.
	 *
	 * @param OrderShipments $orders   WooCommerce side.
	 * @param OrderProgress  $progress Progress reader.
	 */
	public function __construct( private OrderShipments $orders, private OrderProgress $progress ) {
	}

	/**
	 * The customer's order page (`woocommerce_order_details_after_order_table`).
	 *
	 * @param mixed $order The order WooCommerce shows.
	 */
	public function customer( $order ): void {
		if ( $order instanceof \WC_Order ) {
			echo $this->html( $order, false ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts.
		}
	}

	/**
	 * The admin meta box.
	 *
	 * @param mixed $order_or_post WC_Order (HPOS) or WP_Post (legacy).
	 */
	public function admin( $order_or_post ): void {
		$id    = $order_or_post instanceof \WP_Post ? (int) $order_or_post->ID : ( $order_or_post instanceof \WC_Order ? $order_or_post->get_id() : 0 );
		$order = $id > 0 ? $this->orders->find( $id ) : null;
		if ( null === $order ) {
			return;
		}
		$html = $this->html( $order, true );
		echo '' === $html ? '<p>' . esc_html__( 'The ERP has shipped nothing of this order yet.', 'syncline' ) . '</p>' : $html; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts.
	}

	/**
	 * The section, or '' when nothing has shipped.
	 *
	 * @param \WC_Order $order Order.
	 * @param bool      $admin For the admin screen.
	 */
	public function html( \WC_Order $order, bool $admin ): string {
		$ledger = $this->orders->ledger( $order );
		if ( array() === $ledger ) {
			return '';
		}
		$progress = $this->progress->of( $order, $ledger );
		$names    = array();
		foreach ( $progress['lines'] as $line ) {
			$names[ $line['erp_ref'] ] ??= $line['name'];
		}
		$out = '<section class="syncline-shipments">';
		if ( ! $admin ) {
			$out .= '<h2>' . esc_html__( 'Shipments', 'syncline' ) . '</h2>';
		}
		$out .= '<ul class="syncline-shipment-list">';
		foreach ( $ledger as $record ) {
			$out .= '<li class="syncline-shipment">' . $this->shipment( $record, $names ) . '</li>';
		}
		$out .= '</ul>';
		if ( ! $progress['complete'] ) {
			$title = $admin ? __( 'Backordered (still to ship)', 'syncline' ) : __( 'Still to ship', 'syncline' );
			$out  .= '<p class="syncline-still-to-ship"><strong>' . esc_html( $title ) . ':</strong> ' . esc_html( ShipmentText::remaining( $progress ) ) . '</p>';
		}
		return $out . '</section>';
	}

	/**
	 * One shipment.
	 *
	 * @param array<string, mixed>  $record Shipment.
	 * @phpstan-param Record $record
	 * @param array<string, string> $names  ERP reference => line name.
	 */
	private function shipment( array $record, array $names ): string {
		$items = array();
		foreach ( $record['lines'] as $ref => $qty ) {
			$items[] = sprintf( '%d × %s', $qty, $names[ (string) $ref ] ?? (string) $ref );
		}
		$date = null !== $record['shipped_at'] ? wp_date( (string) get_option( 'date_format' ), $record['shipped_at'] ) : false;
		$out  = '<strong>' . esc_html( $record['ref'] ) . '</strong>';
		$out .= false !== $date ? ' — ' . esc_html( $date ) : '';
		$out .= '<br>' . esc_html( implode( ', ', $items ) );
		if ( null !== $record['carrier'] ) {
			$out .= '<br>' . esc_html__( 'Carrier:', 'syncline' ) . ' <span class="syncline-carrier">' . esc_html( $record['carrier'] ) . '</span>';
		}
		if ( null !== $record['tracking_number'] ) {
			$number = '<span class="syncline-tracking-number">' . esc_html( $record['tracking_number'] ) . '</span>';
			$link   = null !== $record['tracking_url'] ? '<a href="' . esc_url( $record['tracking_url'] ) . '" target="_blank" rel="noopener noreferrer">' . $number . '</a>' : $number;
			$out   .= '<br>' . esc_html__( 'Tracking number:', 'syncline' ) . ' ' . $link;
		}
		return $out;
	}
}

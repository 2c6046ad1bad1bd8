<?php
/**
 * The Syncline box on the WooCommerce order edit screen (HPOS and legacy).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin;

use Syncline\Admin\Data\EventRows;
use Syncline\Admin\Data\OrderLookup;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Registerable;

/**
 * Shows the order's correlation id, the ERP documents of its last pushed event, the state of its latest event,
 * and a link to its trace on the Syncline screen. Reads the outbox and, through the WooCommerce seam, the refs stored on the order.
 */
final class OrderMetaBox implements Registerable {

	/** Screen ids of the order edit page: HPOS (custom order tables) and legacy (posts). */
	public const SCREENS = array( 'woocommerce_page_wc-orders', 'shop_order' );

	/**
	 * Builds the box.
	 *
	 * @param Db          $db     The database proxy.
	 * @param OrderLookup $orders ERP refs stored on the order (through the WooCommerce seam).
	 */
	public function __construct( private Db $db, private OrderLookup $orders ) {
	}

	/** Hooks: adds the box on both order screens. */
	public function register(): void {
		// Adds the Syncline box to the order edit screen (HPOS and legacy).
		add_action( 'add_meta_boxes', fn() => $this->add() );
	}

	/** Adds the meta box. */
	private function add(): void {
		if ( ! current_user_can( AdminPage::CAPABILITY ) ) {
			return;
		}
		foreach ( self::SCREENS as $screen ) {
			add_meta_box( 'syncline-order', __( 'Syncline', 'syncline' ), fn( $object ) => $this->render( $object ), $screen, 'side', 'default' );
		}
	}

	/**
	 * Prints the box.
	 *
	 * @param mixed $order_or_post WC_Order (HPOS) or WP_Post (legacy).
	 */
	private function render( $order_or_post ): void {
		$order_id = 0;
		if ( $order_or_post instanceof \WP_Post ) {
			$order_id = (int) $order_or_post->ID;
		} elseif ( is_object( $order_or_post ) && method_exists( $order_or_post, 'get_id' ) ) {
			$order_id = (int) $order_or_post->get_id();
		}
		$table  = $this->db->table( 'events' );
		$events = $order_id > 0 ? $this->db->rows( "SELECT id, state, correlation_id, result, last_error_code FROM {$table} WHERE object_type = %s AND object_id = %d ORDER BY id DESC LIMIT 50", array( 'order', $order_id ) ) : array();
		if ( array() === $events ) {
			echo '<p>' . esc_html__( 'Syncline has not recorded this order yet.', 'syncline' ) . '</p>';
			return;
		}
		$latest    = $events[0];
		$documents = EventRows::documents( $this->orders->erp_refs( $order_id ) );
		foreach ( array() === $documents ? $events : array() as $event ) {
			$documents = EventRows::documents( EventRows::json( $event['result'] ?? null ) );
			if ( array() !== $documents ) {
				break;
			}
		}
		echo '<p><strong>' . esc_html__( 'Correlation id', 'syncline' ) . '</strong><br><code class="syncline-correlation-id">' . esc_html( (string) $latest['correlation_id'] ) . '</code></p>';
		/* translators: %s: event state */
		echo '<p>' . esc_html( sprintf( __( 'Latest event: %s', 'syncline' ), (string) $latest['state'] ) );
		if ( ! empty( $latest['last_error_code'] ) && 'needs_human' === $latest['state'] ) {
			echo ' — <code>' . esc_html( (string) $latest['last_error_code'] ) . '</code>';
		}
		echo '</p><p><strong>' . esc_html__( 'ERP documents', 'syncline' ) . '</strong></p>';
		if ( array() === $documents ) {
			echo '<p>' . esc_html__( 'None yet.', 'syncline' ) . '</p>';
		} else {
			echo '<ul class="syncline-erp-refs">';
			foreach ( $documents as $doc ) {
				$label = (string) ( $doc['ref'] ?? $doc['id'] );
				echo '<li>' . esc_html( (string) $doc['type'] ) . ': ';
				echo null !== $doc['url'] ? '<a href="' . esc_url( $doc['url'] ) . '" target="_blank" rel="noopener noreferrer">' . esc_html( $label ) . '</a>' : esc_html( $label );
				echo '</li>';
			}
			echo '</ul>';
		}
		echo '<p><a class="button" href="' . esc_url( AdminPage::url( 'trace', $order_id ) ) . '">' . esc_html__( 'Open the Syncline trace', 'syncline' ) . '</a></p>';
	}
}

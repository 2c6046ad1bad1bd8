<?php
/**
 * Wiring of shipments back to WooCommerce (docs/ARCHITECTURE.md, "Shipments").
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;
use Syncline\Rest\SignatureVerifier;

/**
 * Registers the signed route, the "Partially shipped" order status (open and paid), the customer's view and the
 * admin meta box. Hook callbacks only hand off to the services.
 */
final class ShipmentsModule implements Registerable {

	public const PARTIAL_STATUS = 'partially-shipped';
	public const SCREENS        = array( 'woocommerce_page_wc-orders', 'shop_order' );

	/**
	 * WooCommerce side.
	 *
	 * @var OrderShipments
	 */
	private OrderShipments $orders;

	/**
	 * Progress reader.
	 *
	 * @var OrderProgress
	 */
	private OrderProgress $progress;

	/**
	 * Builds the module.
	 *
	 * @param Db       $db       Database.
	 * @param Options  $options  Options.
	 * @param Clock    $clock    Time.
	 * @param SkuMap   $sku_map  SKU map.
	 * @param Mappings $mappings Admin mappings.
	 */
	public function __construct( private Db $db, private Options $options, private Clock $clock, SkuMap $sku_map, private Mappings $mappings ) {
		$this->orders   = new OrderShipments();
		$this->progress = new OrderProgress( $this->orders, $sku_map );
	}

	/** The signed route's controller. */
	public function controller(): ShipmentsController {
		return new ShipmentsController(
			new SignatureVerifier( $this->db, $this->options, $this->clock ),
			new ShipmentApplier( $this->db, $this->orders, $this->progress, new ShipmentStatusMap( $this->mappings ), new OutboxWriter( $this->db, $this->options, $this->clock ), $this->clock )
		);
	}

	/**
	 * Hooks.
	 */
	public function register(): void {
		$this->controller()->register();
		$display = new ShipmentDisplay( $this->orders, $this->progress );
		add_action( 'init', array( self::class, 'register_status' ) );
		add_filter( 'wc_order_statuses', array( self::class, 'order_statuses' ) );
		add_filter( 'woocommerce_order_is_paid_statuses', array( self::class, 'with_partial' ) );
		add_filter( 'woocommerce_reports_order_statuses', array( self::class, 'with_partial' ) );
		add_action( 'woocommerce_order_details_after_order_table', array( $display, 'customer' ) );
		add_action(
			'add_meta_boxes',
			static function () use ( $display ): void {
				foreach ( self::SCREENS as $screen ) {
					add_meta_box( 'syncline-shipments', __( 'Shipments (ERP)', 'syncline' ), array( $display, 'admin' ), $screen, 'side', 'default' );
				}
			}
		);
	}

	/** Registers `wc-partially-shipped` (WooCommerce lists it through `wc_order_statuses`). */
	public static function register_status(): void {
		register_post_status(
			'wc-' . self::PARTIAL_STATUS,
			array(
				'label'                     => _x( 'Partially shipped', 'Order status', 'syncline' ),
				'public'                    => false,
				'exclude_from_search'       => false,
				'show_in_admin_all_list'    => true,
				'show_in_admin_status_list' => true,
				/* translators: %s: number of orders */
				'label_count'               => _n_noop( 'Partially shipped <span class="count">(%s)</span>', 'Partially shipped <span class="count">(%s)</span>', 'syncline' ),
			)
		);
	}

	/**
	 * Adds "Partially shipped" after "Processing".
	 *
	 * @param mixed $statuses WooCommerce's statuses.
	 * @return array<string, string>
	 */
	public static function order_statuses( $statuses ): array {
		$out = array();
		foreach ( is_array( $statuses ) ? $statuses : array() as $key => $label ) {
			$out[ (string) $key ] = (string) $label;
			if ( 'wc-processing' === $key ) {
				$out[ 'wc-' . self::PARTIAL_STATUS ] = _x( 'Partially shipped', 'Order status', 'syncline' );
			}
		}
		$out[ 'wc-' . self::PARTIAL_STATUS ] ??= _x( 'Partially shipped', 'Order status', 'syncline' );
		return $out;
	}

	/**
	 * Adds the partial status to a list of bare statuses (paid, reports).
	 *
	 * @param mixed $statuses Statuses.
	 * @return array<int, string>
	 */
	public static function with_partial( $statuses ): array {
		$list = is_array( $statuses ) ? array_values( array_map( 'strval', $statuses ) ) : array();
		return in_array( self::PARTIAL_STATUS, $list, true ) ? $list : array_merge( $list, array( self::PARTIAL_STATUS ) );
	}
}

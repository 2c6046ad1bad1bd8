<?php
/**
 * Admin notices (wp-admin) for what an operator must act on outside the Syncline screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin;

use Syncline\Hooks\MissedOrders;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\OutboxSchema;

/**
 * Two notices, shown to users who can manage WooCommerce: orders whose outbox write failed (until the sweep
 * enqueues them), and a schema upgrade that could not be verified.
 */
final class Notices implements Registerable {

	/**
	 * Builds the notices.
	 *
	 * @param Options      $options Options (schema error).
	 * @param MissedOrders $missed  Orders whose hook write failed.
	 */
	public function __construct( private Options $options, private MissedOrders $missed ) {
	}

	/** Adds the admin_notices callback. */
	public function register(): void {
		add_action( 'admin_notices', fn () => $this->render() );
	}

	/** Prints the notices that apply (nothing for users without manage_woocommerce). */
	public function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$missed = $this->missed->all();
		if ( array() !== $missed ) {
			$ids = array_slice( array_keys( $missed ), 0, 20 );
			$this->notice(
				'warning',
				sprintf(
					/* translators: 1: number of orders, 2: order ids, 3: WP-CLI command. */
					_n(
						'Syncline could not record %1$d order for the ERP (order %2$s). The hourly sweep enqueues it again; to do it now run %3$s.',
						'Syncline could not record %1$d orders for the ERP (orders %2$s). The hourly sweep enqueues them again; to do it now run %3$s.',
						count( $missed ),
						'syncline'
					),
					count( $missed ),
					implode( ', ', $ids ) . ( count( $missed ) > count( $ids ) ? ', …' : '' ),
					'wp syncline sweep'
				)
			);
		}
		$error = $this->options->get( OutboxSchema::ERROR_OPTION, null );
		if ( is_array( $error ) ) {
			$this->notice(
				'error',
				sprintf(
					/* translators: 1: schema version, 2: missing tables or columns. */
					__( 'Syncline could not finish its database upgrade to schema %1$s (missing: %2$s). It will try again on the next page load; check that the database user may create and alter tables, and see the PHP error log.', 'syncline' ),
					(string) ( $error['version'] ?? '' ),
					implode( ', ', array_map( 'strval', array_slice( (array) ( $error['missing'] ?? array() ), 0, 10 ) ) )
				)
			);
		}
	}

	/**
	 * One notice, escaped.
	 *
	 * @param string $type    error|warning.
	 * @param string $message Text.
	 */
	private function notice( string $type, string $message ): void {
		printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( $type ), esc_html( $message ) );
	}
}

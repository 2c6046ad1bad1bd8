<?php
/**
 * `wp syncline map sku`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Outbox\SkuMap;

/**
 * Maps WooCommerce identifiers to ERP references.
 */
class MapCommand {

	/**
	 * Builds the command.
	 *
	 * @param SkuMap $sku_map SKU map.
	 */
	public function __construct( private SkuMap $sku_map ) {
	}

	/**
	 * Maps a WooCommerce SKU to an ERP product reference.
	 *
	 * ## OPTIONS
	 *
	 * <wc_sku>
	 * : The WooCommerce SKU.
	 *
	 * <erp_ref>
	 * : The ERP product reference.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline map sku HOODIE-S-GREY HOOD-S-GR
	 *
	 * @param array<int, string> $args Positional arguments.
	 */
	public function sku( array $args ): void {
		$sku = trim( (string) ( $args[0] ?? '' ) );
		$ref = trim( (string) ( $args[1] ?? '' ) );
		foreach ( array(
			__( 'The SKU', 'syncline' )           => $sku,
			__( 'The ERP reference', 'syncline' ) => $ref,
		) as $label => $value ) {
			$problem = SkuMap::problem( $value );
			if ( null !== $problem ) {
				/* translators: 1: "The SKU" or "The ERP reference", 2: what is wrong. */
				\WP_CLI::error( sprintf( __( '%1$s %2$s.', 'syncline' ), $label, $problem ) );
			}
		}
		$this->sku_map->set( $sku, $ref );
		/* translators: 1: SKU, 2: ERP reference. */
		\WP_CLI::success( sprintf( __( 'SKU %1$s maps to %2$s.', 'syncline' ), $sku, $ref ) );
	}
}

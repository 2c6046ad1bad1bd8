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
		if ( '' === $sku || '' === $ref || strlen( $sku ) > 191 || strlen( $ref ) > 191 ) {
			\WP_CLI::error( __( 'Give a SKU and an ERP reference (each 1 to 191 characters).', 'syncline' ) );
		}
		$this->sku_map->set( $sku, $ref );
		/* translators: 1: SKU, 2: ERP reference. */
		\WP_CLI::success( sprintf( __( 'SKU %1$s maps to %2$s.', 'syncline' ), $sku, $ref ) );
	}
}

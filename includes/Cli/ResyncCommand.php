<?php
/**
 * `wp syncline resync stock [--skus=…] [--reset]`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxWriter;
use Syncline\Stock\StockTables;

/**
 * Asks the sidecar for a full stock pull (an outbox event `stock.resync` it leases). Resetting SKUs forgets
 * their last applied reading, so the next reading sets their stock absolutely (ats − in-flight): that is how
 * drift from manual stock edits is corrected.
 */
class ResyncCommand {

	/**
	 * Builds the command.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Outbox writer.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer ) {
	}

	/**
	 * Queues a full stock pull.
	 *
	 * ## OPTIONS
	 *
	 * <what>
	 * : What to resync.
	 * ---
	 * options:
	 *   - stock
	 * ---
	 *
	 * [--skus=<skus>]
	 * : Comma-separated SKUs whose stock is reset to the ERP's value minus in-flight orders on the next reading.
	 *
	 * [--reset]
	 * : Reset every SKU (absolute on the next reading).
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline resync stock
	 *     wp syncline resync stock --skus=HOODIE-S-GREY,MUG-RED
	 *
	 * @param array<int, string>         $args  Positional arguments.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		$table = $this->db->table( StockTables::STOCK_STATE );
		$skus  = array_values( array_filter( array_map( 'trim', explode( ',', (string) ( $assoc['skus'] ?? '' ) ) ) ) );
		if ( array() !== $skus ) {
			$marks = implode( ', ', array_fill( 0, count( $skus ), '%s' ) );
			$n     = $this->db->query( "DELETE FROM {$table} WHERE sku IN ({$marks})", $skus );
			/* translators: %d: number of SKUs. */
			\WP_CLI::log( sprintf( __( '%d SKU(s) reset.', 'syncline' ), $n ) );
		} elseif ( ! empty( $assoc['reset'] ) ) {
			$this->db->query( "DELETE FROM {$table}" );
			\WP_CLI::log( __( 'Every SKU reset.', 'syncline' ) );
		}
		$this->writer->record( 'stock.resync', 'stock', 0 );
		\WP_CLI::success( __( 'Stock resync queued for the sidecar (outbox topic stock.resync).', 'syncline' ) );
	}
}

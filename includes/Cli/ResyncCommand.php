<?php
/**
 * `wp syncline resync stock [--skus=…] [--reset]` and `wp syncline resync orders [--ids=…] [--since=…] [--status=…] [--dry-run]`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxWriter;
use Syncline\Hooks\OrderIds;
use Syncline\Stock\StockTables;

/**
 * Stock: asks the sidecar for a full stock pull (an outbox event `stock.resync` it leases). Resetting SKUs
 * forgets their last applied reading, so the next reading sets their stock absolutely (ats − in-flight): that
 * is how drift from manual stock edits is corrected.
 *
 * Orders: enqueues an `order.resync` event per order; the sidecar pushes each one like any other event (the
 * lookup by external reference makes a push of an order the ERP already has a no-op).
 */
class ResyncCommand {

	public const ORDER_TOPIC = 'order.resync';
	public const MAX_ORDERS  = 10000;

	/**
	 * Builds the command.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Outbox writer.
	 * @param OrderIds     $orders WooCommerce's orders.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private OrderIds $orders ) {
	}

	/**
	 * Queues a full stock pull, or a push of some orders.
	 *
	 * ## OPTIONS
	 *
	 * <what>
	 * : What to resync.
	 * ---
	 * options:
	 *   - stock
	 *   - orders
	 * ---
	 *
	 * [--skus=<skus>]
	 * : (stock) Comma-separated SKUs whose stock is reset to the ERP's value minus in-flight orders on the next reading.
	 *
	 * [--reset]
	 * : (stock) Reset every SKU (absolute on the next reading).
	 *
	 * [--ids=<ids>]
	 * : (orders) Comma-separated order ids.
	 *
	 * [--since=<date>]
	 * : (orders) Orders created at or after this date/time (e.g. 2026-11-01 or "2026-11-01 08:00 UTC").
	 *
	 * [--status=<statuses>]
	 * : (orders) Only orders in these statuses, comma-separated (e.g. processing,completed).
	 *
	 * [--dry-run]
	 * : (orders) List the orders that would be queued; queue nothing.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline resync stock
	 *     wp syncline resync stock --skus=HOODIE-S-GREY,MUG-RED
	 *     wp syncline resync orders --ids=553,554
	 *     wp syncline resync orders --since=2026-11-01 --status=processing,completed --dry-run
	 *
	 * @param array<int, string>         $args  Positional arguments.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		if ( 'orders' === ( $args[0] ?? '' ) ) {
			$this->orders( $assoc );
			return;
		}
		$this->stock( $assoc );
	}

	/**
	 * The stock resync.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 */
	private function stock( array $assoc ): void {
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

	/**
	 * The orders resync: validates every option first, then queues (or lists) the orders.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 */
	private function orders( array $assoc ): void {
		$query = OrderSelection::parse( $assoc, $this->orders->known_statuses() );
		if ( is_string( $query ) ) {
			\WP_CLI::error( $query );
		}
		$ids = $this->select( $query );
		if ( array() === $ids ) {
			\WP_CLI::warning( __( 'No order matches; nothing queued.', 'syncline' ) );
			return;
		}
		if ( ! empty( $assoc['dry-run'] ) ) {
			/* translators: 1: number of orders, 2: order ids. */
			\WP_CLI::log( sprintf( __( 'Would queue %1$d order(s): %2$s', 'syncline' ), count( $ids ), implode( ', ', $ids ) ) );
			return;
		}
		$failed = array();
		foreach ( $ids as $id ) {
			try {
				$this->writer->record( self::ORDER_TOPIC, 'order', $id );
			} catch ( \Throwable $e ) {
				$failed[] = $id;
				/* translators: 1: order id, 2: error. */
				\WP_CLI::warning( sprintf( __( 'Order %1$d not queued: %2$s', 'syncline' ), $id, $e->getMessage() ) );
			}
		}
		if ( array() !== $failed ) {
			/* translators: 1: failed, 2: total, 3: ids. */
			\WP_CLI::error( sprintf( __( '%1$d of %2$d order(s) could not be queued: %3$s', 'syncline' ), count( $failed ), count( $ids ), implode( ', ', $failed ) ) );
		}
		/* translators: 1: number of orders, 2: topic. */
		\WP_CLI::success( sprintf( __( '%1$d order(s) queued for the sidecar (outbox topic %2$s).', 'syncline' ), count( $ids ), self::ORDER_TOPIC ) );
	}

	/**
	 * The order ids a valid selection names; stops with an error on ids that are not orders.
	 *
	 * @param array{ids: array<int, int>, since: int|null, statuses: array<int, string>} $query Selection.
	 * @return array<int, int>
	 */
	private function select( array $query ): array {
		if ( array() !== $query['ids'] ) {
			$statuses = $this->orders->statuses( $query['ids'] );
			$unknown  = array_diff( $query['ids'], array_keys( $statuses ) );
			if ( array() !== $unknown ) {
				/* translators: %s: order ids. */
				\WP_CLI::error( sprintf( __( 'Not an order: %s', 'syncline' ), implode( ', ', $unknown ) ) );
			}
			$ids = array_keys( array_filter( $statuses, static fn ( $s ) => array() === $query['statuses'] || in_array( $s, $query['statuses'], true ) ) );
			if ( null !== $query['since'] ) {
				$ids = array_values( array_intersect( $ids, $this->orders->created_since( $query['since'], $query['statuses'], self::MAX_ORDERS ) ) );
			}
			return $ids;
		}
		$ids = $this->orders->created_since( (int) $query['since'], $query['statuses'], self::MAX_ORDERS + 1 );
		if ( count( $ids ) > self::MAX_ORDERS ) {
			/* translators: %d: maximum. */
			\WP_CLI::error( sprintf( __( 'More than %d orders match; narrow --since or --status.', 'syncline' ), self::MAX_ORDERS ) );
		}
		return $ids;
	}
}

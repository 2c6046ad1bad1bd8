<?php
/**
 * SKUs the store sells that the ERP does not have: one needs-human event each.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * Writes `stock.unknown_sku` events straight into the exception queue (state needs_human), at most one open
 * event per SKU; object_id is a stable 48-bit number derived from the SKU, the SKU itself is in the details.
 */
class UnknownSkus {

	public const TOPIC = 'stock.unknown_sku';

	/**
	 * Builds the recorder.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Correlation ids.
	 * @param Clock        $clock  Time.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private Clock $clock ) {
	}

	/**
	 * Records the SKUs that are in the store (only those) and have no open event yet.
	 *
	 * @param array<int, string> $skus     SKUs the ERP does not know.
	 * @param StoreProducts      $products Store products.
	 * @return array{recorded: int, already_open: int, not_in_store: int}
	 */
	public function record( array $skus, StoreProducts $products ): array {
		$known = array_map( 'strval', array_keys( $products->by_sku( $skus ) ) );
		$open  = $this->open_ids();
		$new   = array_values( array_filter( $known, static fn ( $sku ) => ! isset( $open[ self::object_id( $sku ) ] ) ) );
		$this->insert( $new );
		return array(
			'recorded'     => count( $new ),
			'already_open' => count( $known ) - count( $new ),
			'not_in_store' => count( $skus ) - count( $known ),
		);
	}

	/**
	 * After a complete full pull: every store SKU with managed stock that no reading of the pull reached (stock
	 * state has no read_at ≥ started_at) is one the ERP lacks. Records at most `$limit` new events per call (the
	 * ones already open are skipped first, so the rest come at the next full pull).
	 *
	 * @param array{started_at: int, erp_skus_seen: int} $pull     Validated request.
	 * @param StoreProducts                              $products Store products.
	 * @param int                                        $limit    Events recorded at most.
	 * @return array{missing: int, recorded: int, already_open: int, erp_skus_seen: int}
	 */
	public function after_full_pull( array $pull, StoreProducts $products, int $limit = StockRequests::MAX_ITEMS ): array {
		$missing = $products->managed_not_read_since( $pull['started_at'] );
		$open    = $this->open_ids();
		$new     = array_values( array_filter( $missing, static fn ( $sku ) => ! isset( $open[ self::object_id( $sku ) ] ) ) );
		$record  = array_slice( $new, 0, $limit );
		$this->insert( $record );
		return array(
			'missing'       => count( $missing ),
			'recorded'      => count( $record ),
			'already_open'  => count( $missing ) - count( $new ),
			'erp_skus_seen' => $pull['erp_skus_seen'],
		);
	}

	/**
	 * Object ids of the open (needs_human, pending or leased) unknown-SKU events.
	 *
	 * @return array<int, true>
	 */
	private function open_ids(): array {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$rows  = $this->db->rows(
			"SELECT DISTINCT object_id FROM {$table} WHERE topic = %s AND object_type = 'sku' AND state IN (%s, %s, %s)",
			array( self::TOPIC, EventState::NEEDS_HUMAN, EventState::PENDING, EventState::LEASED )
		);
		$out   = array();
		foreach ( $rows as $row ) {
			$out[ (int) $row['object_id'] ] = true;
		}
		return $out;
	}

	/**
	 * A stable id for a SKU.
	 *
	 * @param string $sku SKU.
	 */
	public static function object_id( string $sku ): int {
		return (int) hexdec( substr( md5( $sku ), 0, 12 ) );
	}

	/**
	 * Inserts one needs-human event per SKU, in one statement.
	 *
	 * @param array<int, string> $skus SKUs without an open event.
	 */
	private function insert( array $skus ): void {
		if ( array() === $skus ) {
			return;
		}
		$table  = $this->db->table( OutboxSchema::EVENTS );
		$now    = $this->clock->now();
		$values = array();
		$args   = array();
		foreach ( $skus as $sku ) {
			$id = self::object_id( $sku );
			/* translators: %s: SKU. */
			$message  = sprintf( __( 'SKU %s is sold in the store but the ERP has no product with this reference: stock cannot be synced. Create it in the ERP or map the SKU.', 'syncline' ), $sku );
			$values[] = "(%s, 'sku', %d, %s, %s, 0, %d, 'unknown_sku', %s, %s, %d, %d)";
			array_push( $args, self::TOPIC, $id, $this->writer->correlation_id( 'sku', $id ), EventState::NEEDS_HUMAN, $now, $message, (string) wp_json_encode( array( 'sku' => $sku ) ), $now, $now );
		}
		$this->db->query(
			"INSERT INTO {$table} (topic, object_type, object_id, correlation_id, state, attempts, available_at,
				last_error_code, last_error_message, last_error_details, created_at, updated_at) VALUES " . implode( ', ', $values ),
			$args
		);
	}
}

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
		$known = $products->by_sku( $skus );
		$table = $this->db->table( OutboxSchema::EVENTS );
		$out   = array(
			'recorded'     => 0,
			'already_open' => 0,
			'not_in_store' => count( $skus ) - count( $known ),
		);
		$now   = $this->clock->now();
		foreach ( array_keys( $known ) as $sku ) {
			$id   = self::object_id( (string) $sku );
			$open = (int) $this->db->value(
				"SELECT COUNT(*) FROM {$table} WHERE topic = %s AND object_type = 'sku' AND object_id = %d AND state IN (%s, %s, %s)",
				array( self::TOPIC, $id, EventState::NEEDS_HUMAN, EventState::PENDING, EventState::LEASED )
			);
			if ( $open > 0 ) {
				++$out['already_open'];
				continue;
			}
			$this->insert( (string) $sku, $id, $now );
			++$out['recorded'];
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
	 * Inserts the needs-human event.
	 *
	 * @param string $sku SKU.
	 * @param int    $id  Object id.
	 * @param int    $now Unix time.
	 */
	private function insert( string $sku, int $id, int $now ): void {
		$table = $this->db->table( OutboxSchema::EVENTS );
		/* translators: %s: SKU. */
		$message = sprintf( __( 'SKU %s is sold in the store but the ERP has no such product: create it in the ERP or map the SKU (wp syncline map sku).', 'syncline' ), $sku );
		$this->db->query(
			"INSERT INTO {$table} (topic, object_type, object_id, correlation_id, state, attempts, available_at,
				last_error_code, last_error_message, last_error_details, created_at, updated_at)
			VALUES (%s, 'sku', %d, %s, %s, 0, %d, 'unknown_sku', %s, %s, %d, %d)",
			array( self::TOPIC, $id, $this->writer->correlation_id( 'sku', $id ), EventState::NEEDS_HUMAN, $now, $message, (string) wp_json_encode( array( 'sku' => $sku ) ), $now, $now )
		);
	}
}

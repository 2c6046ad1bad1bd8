<?php
/**
 * A Dolibarr webhook → outbox events naming the ERP products to read.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Webhooks;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * Nothing in a webhook is trusted beyond "look at these products": only the product ids are taken (a stock
 * movement's `product_id`, a product's `id`, the `fk_product` of an order's, shipment's or reception's lines), and
 * the sidecar reads each product from the ERP before writing anything. One event per product id
 * (`erp.product_changed` for product triggers: stock and master data; `erp.stock_changed` for the others: stock), all in one statement, coalesced into a pending event of the same product (a repeated webhook adds nothing).
 * Rate-limited per minute (filter `syncline_webhook_rate_limit`, default 1200 requests): above it a webhook is
 * answered but not recorded; the changed-since passes pick the change up.
 */
class WebhookEvents {

	public const TOPIC = 'erp.product_changed';
	/** Stock-only triggers (movements, orders, shipments, receptions): the sidecar re-reads stock, not master data. */
	public const STOCK_TOPIC = 'erp.stock_changed';
	public const OBJECT_TYPE = 'erp_product';
	public const RATE_OPTION = 'syncline_webhook_rate';
	public const MAX_IDS     = 500;

	/**
	 * Builds the recorder.
	 *
	 * @param Db           $db      Database.
	 * @param OutboxWriter $writer  Correlation ids.
	 * @param Clock        $clock   Time.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private Clock $clock ) {
	}

	/**
	 * The product ids a webhook body names (empty for a trigger we do not use).
	 *
	 * @param string               $trigger Trigger code.
	 * @param array<string, mixed> $object  The changed object as Dolibarr sent it.
	 * @return array<int, int>
	 */
	public static function product_ids( string $trigger, array $object ): array {
		$ids = array();
		if ( 'STOCK_MOVEMENT' === $trigger ) {
			$ids[] = $object['product_id'] ?? $object['fk_product'] ?? null;
		} elseif ( str_starts_with( $trigger, 'PRODUCT_' ) ) {
			$ids[] = $object['id'] ?? null;
		} elseif ( in_array( $trigger, WebhookTarget::TRIGGERS, true ) ) {
			foreach ( (array) ( $object['lines'] ?? array() ) as $line ) {
				if ( is_array( $line ) ) {
					$ids[] = $line['fk_product'] ?? $line['product_id'] ?? null;
				}
			}
		}
		$ids = array_filter( array_map( static fn ( $v ) => is_numeric( $v ) ? (int) $v : 0, $ids ), static fn ( $v ) => $v > 0 );
		return array_slice( array_values( array_unique( $ids ) ), 0, self::MAX_IDS );
	}

	/**
	 * Counts one request in this minute's window; false when the limit is passed.
	 */
	public function allow(): bool {
		$limit  = (int) apply_filters( 'syncline_webhook_rate_limit', 1200 );
		$now    = $this->clock->now();
		$window = (string) intdiv( $now, 60 );
		$table  = $this->db->prefix() . 'options';
		$this->db->query(
			"INSERT INTO {$table} (option_name, option_value, autoload) VALUES (%s, CONCAT(%s, ':1:', %d), 'off')
			ON DUPLICATE KEY UPDATE option_value = CONCAT(%s, ':',
				IF(SUBSTRING_INDEX(option_value, ':', 1) = %s, CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(option_value, ':', 2), ':', -1) AS UNSIGNED) + 1, 1), ':', %d)",
			array( self::RATE_OPTION, $window, $now, $window, $window, $now )
		);
		$value = (string) $this->db->value( "SELECT option_value FROM {$table} WHERE option_name = %s", array( self::RATE_OPTION ) );
		$parts = explode( ':', $value );
		return ( $parts[0] ?? '' ) !== $window || (int) ( $parts[1] ?? 0 ) <= $limit;
	}

	/** Unix time of the last webhook received (0: none). */
	public function last_received(): int {
		$table = $this->db->prefix() . 'options';
		$value = (string) $this->db->value( "SELECT option_value FROM {$table} WHERE option_name = %s", array( self::RATE_OPTION ) );
		return (int) ( explode( ':', $value )[2] ?? 0 );
	}

	/**
	 * The topic of a trigger: product triggers change master data (and maybe stock), the others only stock.
	 *
	 * @param string $trigger Trigger code.
	 */
	public static function topic_of( string $trigger ): string {
		return str_starts_with( $trigger, 'PRODUCT_' ) ? self::TOPIC : self::STOCK_TOPIC;
	}

	/**
	 * Records one pending event per product id; returns how many ids were named.
	 *
	 * @param array<int, int> $ids   ERP product ids.
	 * @param string          $topic self::TOPIC or self::STOCK_TOPIC.
	 */
	public function record( array $ids, string $topic = self::TOPIC ): int {
		if ( array() === $ids ) {
			return 0;
		}
		$now    = $this->clock->now();
		$values = array();
		$args   = array();
		foreach ( $ids as $id ) {
			$values[] = '(%s, %s, %d, %s, %s, %s, 0, %d, %d, %d)';
			array_push( $args, $topic, self::OBJECT_TYPE, $id, $this->writer->correlation_id( self::OBJECT_TYPE, $id ), EventState::PENDING, $topic . ':' . self::OBJECT_TYPE . ':' . $id, $now, $now, $now );
		}
		$table = $this->db->table( OutboxSchema::EVENTS );
		$this->db->query(
			"INSERT INTO {$table} (topic, object_type, object_id, correlation_id, state, pending_key, attempts, available_at, created_at, updated_at)
			VALUES " . implode( ', ', $values ) . ' ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)',
			$args
		);
		return count( $ids );
	}
}

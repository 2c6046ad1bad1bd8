<?php
/**
 * Master data exceptions: conflicts and unmapped values, in the exception queue with a reason.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * One needs-human event (`product.exception`, object_type `erp_product_ref`) per ERP ref and code; an open one
 * (needs_human, pending, leased) is not recorded twice, so a pass that meets the same problem again adds nothing.
 * An admin's retry leases it: the sidecar acks it done and the next pass checks the product anew.
 */
class ProductExceptions {

	public const TOPIC       = 'product.exception';
	public const OBJECT_TYPE = 'erp_product_ref';

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
	 * A stable object id for a ref and code.
	 *
	 * @param string $ref  ERP ref.
	 * @param string $code Code.
	 */
	public static function object_id( string $ref, string $code ): int {
		return (int) hexdec( substr( md5( $ref . "\n" . $code ), 0, 12 ) );
	}

	/**
	 * Records the exceptions that are not open yet; returns how many were recorded.
	 *
	 * @param array<int, array{ref: string, code: string, message: string}> $exceptions Exceptions.
	 */
	public function record( array $exceptions ): int {
		$by_id = array();
		foreach ( $exceptions as $e ) {
			$by_id[ self::object_id( $e['ref'], $e['code'] ) ] = $e;
		}
		if ( array() === $by_id ) {
			return 0;
		}
		$table = $this->db->table( OutboxSchema::EVENTS );
		$ids   = array_keys( $by_id );
		$marks = implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
		$open  = $this->db->rows(
			"SELECT object_id FROM {$table} WHERE topic = %s AND object_type = %s AND state IN (%s, %s, %s) AND object_id IN ({$marks})",
			array_merge( array( self::TOPIC, self::OBJECT_TYPE, EventState::NEEDS_HUMAN, EventState::PENDING, EventState::LEASED ), $ids )
		);
		foreach ( $open as $row ) {
			unset( $by_id[ (int) $row['object_id'] ] );
		}
		if ( array() === $by_id ) {
			return 0;
		}
		$now    = $this->clock->now();
		$values = array();
		$args   = array();
		foreach ( $by_id as $id => $e ) {
			$values[] = '(%s, %s, %d, %s, %s, 0, %d, %s, %s, %s, %d, %d)';
			array_push( $args, self::TOPIC, self::OBJECT_TYPE, $id, $this->writer->correlation_id( self::OBJECT_TYPE, $id ), EventState::NEEDS_HUMAN, $now, $e['code'], $e['message'], (string) wp_json_encode( array( 'ref' => $e['ref'] ) ), $now, $now );
		}
		$this->db->query(
			"INSERT INTO {$table} (topic, object_type, object_id, correlation_id, state, attempts, available_at,
				last_error_code, last_error_message, last_error_details, created_at, updated_at) VALUES " . implode( ', ', $values ),
			$args
		);
		return count( $by_id );
	}
}

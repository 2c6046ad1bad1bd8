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
use Syncline\Outbox\EventLog;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * One needs-human event (`product.exception`, object_type `erp_product_ref`) per ERP ref and code; an open one
 * (needs_human, pending, leased) is not recorded twice, so a pass that meets the same problem again adds nothing.
 * An admin's retry leases it: the sidecar acks it done and the next pass checks the product anew.
 * An exception closes itself when its cause is gone (resolve()): a product conflict or an unmapped category when
 * its ref is synced again without it, an unmapped VAT rate when the rate has a tax class; the event becomes `done`
 * with an event-log line (`resolved`) saying why.
 */
class ProductExceptions {

	public const TOPIC       = 'product.exception';
	public const OBJECT_TYPE = 'erp_product_ref';
	public const VAT_CODE    = 'unmapped_vat_rate';
	public const VAT_PREFIX  = 'vat-rate-';

	/** Codes tied to one product: gone when the ref syncs without them. */
	private const PER_REF_CODES = array( 'product_conflict', 'unmapped_category' );

	/**
	 * Builds the recorder.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Correlation ids.
	 * @param Clock        $clock  Time.
	 * @param EventLog     $log    Event log (resolved exceptions).
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private Clock $clock, private EventLog $log ) {
	}

	/**
	 * Closes the open exceptions whose cause is gone: per-product ones of refs synced in this batch without the
	 * same problem, VAT rate ones whose rate now has a tax class (and was not reported again). Returns how many.
	 *
	 * @param array<int, string>                                            $refs        ERP refs synced (found or created).
	 * @param array<int, array{ref: string, code: string, message: string}> $problems    Problems met in this batch.
	 * @param callable                                                      $tax_classes () => array<string, string> VAT rate → tax class.
	 */
	public function resolve( array $refs, array $problems, callable $tax_classes ): int {
		$met = array();
		foreach ( $problems as $p ) {
			$met[ self::object_id( $p['ref'], $p['code'] ) ] = true;
		}
		$why = array();
		foreach ( array_unique( $refs ) as $ref ) {
			foreach ( self::PER_REF_CODES as $code ) {
				$id = self::object_id( $ref, $code );
				if ( ! isset( $met[ $id ] ) ) {
					/* translators: %s: ERP reference. */
					$why[ $id ] = sprintf( __( 'Resolved: product %s was synced again without this problem.', 'syncline' ), $ref );
				}
			}
		}
		$table   = $this->db->table( OutboxSchema::EVENTS );
		$ids     = array() === $why ? array( 0 ) : array_keys( $why );
		$marks   = implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
		$rows    = $this->db->rows(
			"SELECT id, object_id, last_error_code, last_error_details FROM {$table} WHERE topic = %s AND object_type = %s AND state IN (%s, %s)
				AND (object_id IN ({$marks}) OR last_error_code = %s)",
			array_merge( array( self::TOPIC, self::OBJECT_TYPE, EventState::NEEDS_HUMAN, EventState::PENDING ), $ids, array( self::VAT_CODE ) )
		);
		$close   = array();
		$classes = null;
		foreach ( $rows as $row ) {
			$object = (int) $row['object_id'];
			if ( self::VAT_CODE !== (string) $row['last_error_code'] ) {
				$close[ (int) $row['id'] ] = array( $why[ $object ] ?? '', $row );
				continue;
			}
			$details = json_decode( (string) $row['last_error_details'], true );
			$ref     = is_array( $details ) ? (string) ( $details['ref'] ?? '' ) : '';
			$rate    = str_starts_with( $ref, self::VAT_PREFIX ) ? substr( $ref, strlen( self::VAT_PREFIX ) ) : '';
			$classes = $classes ?? (array) $tax_classes();
			if ( '' !== $rate && isset( $classes[ $rate ] ) && ! isset( $met[ $object ] ) ) {
				/* translators: 1: VAT rate, 2: tax class slug ('' is the standard class). */
				$close[ (int) $row['id'] ] = array( sprintf( __( 'Resolved: the ERP\'s VAT rate %1$s %% now has a WooCommerce tax class ("%2$s").', 'syncline' ), $rate, $classes[ $rate ] ), $row );
			}
		}
		if ( array() === $close ) {
			return 0;
		}
		$now   = $this->clock->now();
		$ids   = array_keys( $close );
		$marks = implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
		$this->db->query(
			"UPDATE {$table} SET state = %s, updated_at = %d WHERE id IN ({$marks}) AND state IN (%s, %s)",
			array_merge( array( EventState::DONE, $now ), $ids, array( EventState::NEEDS_HUMAN, EventState::PENDING ) )
		);
		$entries = array();
		foreach ( $close as $id => list( $message, $row ) ) {
			$entries[] = array( $id, 'resolved', $message, array( 'code' => (string) $row['last_error_code'] ) );
		}
		$this->log->add_many( $entries );
		return count( $close );
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

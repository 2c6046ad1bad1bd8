<?php
/**
 * Validation of the sidecar's reconciliation requests.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Exception\InvalidRequest;
use Syncline\Rest\Validator;

/**
 * Every field is checked before anything is written; a bad request changes nothing (400 with each field's message).
 */
final class ReconcileRequests {

	/** The discrepancy classes a run may report. */
	public const CLASSES = array( 'missing_in_erp', 'duplicated_in_erp', 'total_mismatch', 'status_mismatch', 'no_outbox_event', 'stock_drift' );

	/** Classes a repair never touches (a person decides: two ERP documents, or a validated total that differs). */
	public const NEVER_REPAIRED = array( 'duplicated_in_erp', 'total_mismatch' );

	/**
	 * `{run_id}`.
	 *
	 * @param array<mixed> $body Body.
	 * @throws InvalidRequest When invalid.
	 */
	public static function run_id( array $body ): int {
		$v  = new Validator();
		$id = $v->int( $body, 'run_id', 1, PHP_INT_MAX );
		$v->check();
		return $id;
	}

	/**
	 * `{run_id, after_id, limit}`.
	 *
	 * @param array<mixed> $body Body.
	 * @return array{run_id: int, after_id: int, limit: int}
	 * @throws InvalidRequest When invalid.
	 */
	public static function orders_page( array $body ): array {
		$v   = new Validator();
		$out = array(
			'run_id'   => $v->int( $body, 'run_id', 1, PHP_INT_MAX ),
			'after_id' => $v->int( $body, 'after_id', 0, PHP_INT_MAX, 0 ),
			'limit'    => $v->int( $body, 'limit', 1, 2000, 1000 ),
		);
		$v->check();
		return $out;
	}

	/**
	 * `{after_sku, limit}`.
	 *
	 * @param array<mixed> $body Body.
	 * @return array{after_sku: string, limit: int}
	 * @throws InvalidRequest When invalid.
	 */
	public static function stock_page( array $body ): array {
		$v     = new Validator();
		$after = array_key_exists( 'after_sku', $body ) ? $v->string( $body, 'after_sku', 0, 191 ) : '';
		$out   = array(
			'after_sku' => $after,
			'limit'     => $v->int( $body, 'limit', 1, 2000, 1000 ),
		);
		$v->check();
		return $out;
	}

	/**
	 * `{run_id, items: [...], final?: {orders_checked, skus_checked, duration_ms?}, failed?: string}`.
	 *
	 * @param array<mixed> $body Body.
	 * @return array{run_id: int, items: array<int, array{class: string, object_type: string, object_key: string, repairable: bool, diff_minor: int|null, message: string, details: array<mixed>, object_time: int|null}>, final: array{orders_checked: int, skus_checked: int, duration_ms: int}|null, failed: string|null}
	 * @throws InvalidRequest When invalid.
	 */
	public static function report( array $body ): array {
		$v     = new Validator();
		$run   = $v->int( $body, 'run_id', 1, PHP_INT_MAX );
		$items = array();
		foreach ( $v->list( $body, 'items', 0, 1000 ) as $i => $raw ) {
			$path = "items[{$i}].";
			if ( ! is_array( $raw ) ) {
				$v->fail( "items[{$i}]", __( 'must be an object', 'syncline' ) );
				continue;
			}
			$class   = $v->enum( $raw, 'class', self::CLASSES, $path );
			$items[] = array(
				'class'       => $class,
				'object_type' => $v->enum( $raw, 'object_type', array( 'order', 'sku' ), $path ),
				'object_key'  => $v->string( $raw, 'object_key', 1, 191, null, true, $path ),
				'repairable'  => true === ( $raw['repairable'] ?? false ) && ! in_array( $class, self::NEVER_REPAIRED, true ),
				'diff_minor'  => array_key_exists( 'diff_minor', $raw ) && null !== $raw['diff_minor'] ? $v->int( $raw, 'diff_minor', PHP_INT_MIN, PHP_INT_MAX, null, $path ) : null,
				'message'     => $v->string( $raw, 'message', 1, 1000, null, true, $path ),
				'details'     => $v->object( $raw, 'details', false, $path ),
				'object_time' => array_key_exists( 'object_time', $raw ) ? $v->int( $raw, 'object_time', 0, PHP_INT_MAX, null, $path ) : null,
			);
		}
		$final = null;
		if ( isset( $body['final'] ) ) {
			$f     = $v->object( $body, 'final' );
			$final = array(
				'orders_checked' => $v->int( $f, 'orders_checked', 0, PHP_INT_MAX, null, 'final.' ),
				'skus_checked'   => $v->int( $f, 'skus_checked', 0, PHP_INT_MAX, null, 'final.' ),
				'duration_ms'    => $v->int( $f, 'duration_ms', 0, PHP_INT_MAX, 0, 'final.' ),
			);
		}
		$failed = isset( $body['failed'] ) ? $v->string( $body, 'failed', 1, 1000 ) : null;
		$v->check();
		return array(
			'run_id' => $run,
			'items'  => $items,
			'final'  => $final,
			'failed' => $failed,
		);
	}
}

<?php
/**
 * Validation of POST /syncline/v1/shipments/apply.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Rest\Validator;

/**
 * Strict: any bad shipment fails the whole request (400) before any order is read or written.
 *
 * @phpstan-type Shipment array{shipment_id: string, ref: string, order_id: int, correlation_id: string, state: string, carrier: ?string, tracking_number: ?string, tracking_url: ?string, shipped_at: ?int, lines: array<string, int>}
 */
final class ShipmentRequests {

	public const MAX_SHIPMENTS = 100;
	public const MAX_LINES     = 500;
	public const MAX_TEXT      = 191;
	public const MAX_QTY       = 1000000;
	private const UUID         = '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/';
	private const ID           = '/^[A-Za-z0-9_.:-]+$/';
	private const NO_CONTROL   = '/^[^\x00-\x1F\x7F]*$/u';

	/**
	 * {erp, shipments: [{shipment_id, ref, order_id, correlation_id, state, carrier, tracking_number, tracking_url, shipped_at, lines: [{ref, qty}]}]}.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{erp: string, shipments: array<int, Shipment>}
	 */
	public static function apply( array $data ): array {
		$v     = new Validator();
		$erp   = $v->string( $data, 'erp', 1, 32, '/^[a-z0-9_-]+$/' );
		$out   = array();
		$seen  = array();
		$known = array( 'erp', 'shipments' );
		foreach ( array_diff( array_keys( $data ), $known ) as $extra ) {
			$v->fail( (string) $extra, __( 'is not a known field', 'syncline' ) );
		}
		foreach ( $v->list( $data, 'shipments', 1, self::MAX_SHIPMENTS ) as $i => $s ) {
			$path = "shipments[$i].";
			if ( ! is_array( $s ) || array_is_list( $s ) ) {
				$v->fail( "shipments[$i]", __( 'must be an object', 'syncline' ) );
				continue;
			}
			$id = $v->string( $s, 'shipment_id', 1, 64, self::ID, true, $path );
			if ( isset( $seen[ $id ] ) ) {
				$v->fail( $path . 'shipment_id', __( 'appears more than once', 'syncline' ) );
			}
			$seen[ $id ] = true;
			$out[]       = array(
				'shipment_id'     => $id,
				'ref'             => $v->string( $s, 'ref', 1, self::MAX_TEXT, self::NO_CONTROL, true, $path ),
				'order_id'        => $v->int( $s, 'order_id', 1, PHP_INT_MAX, null, $path ),
				'correlation_id'  => $v->string( $s, 'correlation_id', 36, 36, self::UUID, true, $path ),
				'state'           => $v->enum( $s, 'state', array( 'validated', 'closed' ), $path ),
				'carrier'         => self::nullable( $v, $s, 'carrier', self::MAX_TEXT, self::NO_CONTROL, $path ),
				'tracking_number' => self::nullable( $v, $s, 'tracking_number', self::MAX_TEXT, self::NO_CONTROL, $path ),
				'tracking_url'    => self::nullable( $v, $s, 'tracking_url', 2048, '#^https?://[^\s<>"]+$#i', $path ),
				'shipped_at'      => array_key_exists( 'shipped_at', $s ) && null === $s['shipped_at'] ? null : $v->int( $s, 'shipped_at', 0, 4102444800, null, $path ),
				'lines'           => self::lines( $v, $s, $path ),
			);
		}
		$v->check();
		return array(
			'erp'       => $erp,
			'shipments' => $out,
		);
	}

	/**
	 * A string or null (the key must be present).
	 *
	 * @param Validator    $v       Validator.
	 * @param array<mixed> $s       Object.
	 * @param string       $field   Key.
	 * @param int          $max     Maximum length.
	 * @param string       $pattern Pattern.
	 * @param string       $path    Path prefix.
	 */
	private static function nullable( Validator $v, array $s, string $field, int $max, string $pattern, string $path ): ?string {
		if ( array_key_exists( $field, $s ) && null === $s[ $field ] ) {
			return null;
		}
		return $v->string( $s, $field, 1, $max, $pattern, true, $path );
	}

	/**
	 * Lines as ERP ref => quantity (a ref listed twice is summed).
	 *
	 * @param Validator    $v    Validator.
	 * @param array<mixed> $s    Shipment.
	 * @param string       $path Path prefix.
	 * @return array<string, int>
	 */
	private static function lines( Validator $v, array $s, string $path ): array {
		$lines = array();
		foreach ( $v->list( $s, 'lines', 1, self::MAX_LINES, true, $path ) as $j => $line ) {
			$lpath = "{$path}lines[$j].";
			if ( ! is_array( $line ) || array_is_list( $line ) ) {
				$v->fail( rtrim( $lpath, '.' ), __( 'must be an object', 'syncline' ) );
				continue;
			}
			$ref           = $v->string( $line, 'ref', 1, self::MAX_TEXT, self::NO_CONTROL, true, $lpath );
			$lines[ $ref ] = ( $lines[ $ref ] ?? 0 ) + $v->int( $line, 'qty', 1, self::MAX_QTY, null, $lpath );
		}
		return $lines;
	}
}

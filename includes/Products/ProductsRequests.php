<?php
/**
 * Validation of the master data routes' bodies.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Rest\Validator;

/**
 * Strict: any bad item fails the whole request (400) before anything is read or written.
 */
final class ProductsRequests {

	public const MAX_ITEMS      = 200;
	public const MAX_EXCEPTIONS = 500;
	public const MAX_MEASURE    = 100000000;
	private const REF           = '/^[^\x00-\x1f\x7f]+$/u';
	private const PRICE         = '/^\d{1,12}(\.\d{1,6})?$/';
	private const CURSOR        = '/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/';
	private const ITEM_FIELDS   = array( 'ref', 'name', 'regular_price', 'sale_price', 'tax_class', 'weight_g', 'length_mm', 'width_mm', 'height_mm', 'status', 'categories' );

	/**
	 * POST /products/apply: {items: [..] (0..200), exceptions?: [{ref, code, message}], dry_run?, request?, cursor?}.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{items: array<int, array<string, mixed>>, exceptions: array<int, array{ref: string, code: string, message: string}>, dry_run: bool, request: int, cursor: string}
	 */
	public static function apply( array $data ): array {
		$v     = new Validator();
		$items = array();
		$seen  = array();
		foreach ( $v->list( $data, 'items', 0, self::MAX_ITEMS ) as $i => $item ) {
			$item = self::item( $v, $item, "items[$i]" );
			if ( null === $item ) {
				continue;
			}
			if ( isset( $seen[ $item['ref'] ] ) ) {
				$v->fail( "items[$i].ref", __( 'appears more than once', 'syncline' ) );
			}
			$seen[ $item['ref'] ] = true;
			$items[]              = $item;
		}
		$exceptions = array();
		foreach ( $v->list( $data, 'exceptions', 0, self::MAX_EXCEPTIONS, false ) as $i => $e ) {
			$e            = is_array( $e ) ? $e : array();
			$path         = "exceptions[$i].";
			$exceptions[] = array(
				'ref'     => $v->string( $e, 'ref', 1, 191, self::REF, true, $path ),
				'code'    => $v->string( $e, 'code', 1, 64, '/^[a-z][a-z0-9_]*$/', true, $path ),
				'message' => $v->string( $e, 'message', 1, 2000, null, true, $path ),
			);
		}
		$dry = $data['dry_run'] ?? false;
		if ( ! is_bool( $dry ) ) {
			$v->fail( 'dry_run', __( 'must be true or false', 'syncline' ) );
		}
		$out = array(
			'items'      => $items,
			'exceptions' => $exceptions,
			'dry_run'    => true === $dry,
			'request'    => $v->int( $data, 'request', 0, PHP_INT_MAX, 0 ),
			'cursor'     => $v->string( $data, 'cursor', 19, 19, self::CURSOR, false ),
		);
		$v->check();
		return $out;
	}

	/**
	 * POST /products/request: {id}.
	 *
	 * @param array<mixed> $data Decoded body.
	 */
	public static function request_id( array $data ): int {
		$v  = new Validator();
		$id = $v->int( $data, 'id', 0, PHP_INT_MAX );
		$v->check();
		return $id;
	}

	/**
	 * One item; only known fields, each optional except ref.
	 *
	 * @param Validator $v    Validator.
	 * @param mixed     $item Item.
	 * @param string    $path Path.
	 * @return array<string, mixed>|null
	 */
	private static function item( Validator $v, $item, string $path ): ?array {
		if ( ! is_array( $item ) || array_is_list( $item ) ) {
			$v->fail( $path, __( 'must be an object', 'syncline' ) );
			return null;
		}
		$p   = $path . '.';
		$out = array( 'ref' => $v->string( $item, 'ref', 1, 191, self::REF, true, $p ) );
		foreach ( array_diff( array_keys( $item ), self::ITEM_FIELDS ) as $unknown ) {
			$v->fail( $p . $unknown, __( 'is not a known field', 'syncline' ) );
		}
		if ( array_key_exists( 'name', $item ) ) {
			$out['name'] = $v->string( $item, 'name', 1, 255, self::REF, true, $p );
		}
		foreach ( array( 'regular_price', 'sale_price' ) as $price ) {
			if ( array_key_exists( $price, $item ) ) {
				$out[ $price ] = $v->string( $item, $price, 1, 20, self::PRICE, true, $p );
			}
		}
		if ( array_key_exists( 'tax_class', $item ) ) {
			$out['tax_class'] = $v->string( $item, 'tax_class', 0, 200, '/^[a-z0-9_-]*$/', true, $p );
		}
		foreach ( array( 'weight_g', 'length_mm', 'width_mm', 'height_mm' ) as $measure ) {
			if ( array_key_exists( $measure, $item ) ) {
				$out[ $measure ] = $v->int( $item, $measure, 0, self::MAX_MEASURE, null, $p );
			}
		}
		if ( array_key_exists( 'status', $item ) ) {
			$out['status'] = $v->enum( $item, 'status', array( 'publish', 'draft' ), $p );
		}
		if ( array_key_exists( 'categories', $item ) ) {
			$out['categories'] = array();
			foreach ( $v->list( $item, 'categories', 0, 50, true, $p ) as $j => $name ) {
				$out['categories'][] = $v->string( array( 'c' => $name ), 'c', 1, 200, self::REF, true, $p . "categories[$j]" );
			}
		}
		return $out;
	}
}

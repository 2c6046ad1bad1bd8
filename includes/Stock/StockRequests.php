<?php
/**
 * Validation of the stock routes' bodies.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Outbox\SkuMap;
use Syncline\Rest\Validator;

/**
 * Strict: any bad item fails the whole request (400) before anything is read or written.
 */
final class StockRequests {

	public const MAX_ITEMS = 500;
	public const MAX_ATS   = 1000000000;
	/**
	 * How far a read time may be ahead of this site's clock (sidecar clock skew): a reading dated later would
	 * make every real reading of its SKU look stale until that time.
	 */
	public const MAX_AHEAD_MS = 300000;
	private const ISO         = '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/';

	/**
	 * POST /stock/apply: {items: [{sku, ats, read_at}]}; read_at is ISO 8601 with a zone, or Unix milliseconds.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array<int, array{sku: string, ats: int, read_at: int}>
	 */
	public static function apply( array $data ): array {
		$v     = new Validator();
		$items = array();
		$seen  = array();
		foreach ( $v->list( $data, 'items', 1, self::MAX_ITEMS ) as $i => $item ) {
			$path = "items[$i].";
			if ( ! is_array( $item ) || array_is_list( $item ) ) {
				$v->fail( "items[$i]", __( 'must be an object', 'syncline' ) );
				continue;
			}
			$sku = self::sku( $v, $item, $path );
			if ( isset( $seen[ $sku ] ) ) {
				$v->fail( $path . 'sku', __( 'appears more than once', 'syncline' ) );
			}
			$seen[ $sku ] = true;
			$items[]      = array(
				'sku'     => $sku,
				'ats'     => $v->int( $item, 'ats', 0, self::MAX_ATS, null, $path ),
				'read_at' => self::not_ahead( $v, self::read_at( $v, $item['read_at'] ?? null, $path . 'read_at' ), $path . 'read_at' ),
			);
		}
		$v->check();
		return $items;
	}

	/**
	 * POST /stock/missing: {skus: [..]} (1..500).
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array<int, string>
	 */
	public static function missing( array $data ): array {
		$v    = new Validator();
		$skus = array();
		foreach ( $v->list( $data, 'skus', 1, self::MAX_ITEMS ) as $i => $sku ) {
			$skus[] = self::sku( $v, array( 'sku' => $sku ), "skus[$i]." );
		}
		$v->check();
		return array_values( array_unique( $skus ) );
	}

	/**
	 * POST /stock/pull-complete: {started_at, erp_skus_seen}; started_at is the read time of the full pull's first
	 * reading (same formats as read_at) and may not be more than MAX_AHEAD_MS ahead of WordPress's clock.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{started_at: int, erp_skus_seen: int}
	 */
	public static function pull_complete( array $data ): array {
		$v       = new Validator();
		$started = self::not_ahead( $v, self::read_at( $v, $data['started_at'] ?? null, 'started_at' ), 'started_at' );
		$seen    = $v->int( $data, 'erp_skus_seen', 0, self::MAX_ATS );
		foreach ( array_keys( $data ) as $key ) {
			if ( ! in_array( $key, array( 'started_at', 'erp_skus_seen' ), true ) ) {
				$v->fail( (string) $key, __( 'is not a known field', 'syncline' ) );
			}
		}
		$v->check();
		return array(
			'started_at'    => $started,
			'erp_skus_seen' => $seen,
		);
	}

	/**
	 * A SKU by the SKU map's rule (SkuMap: 1 to MAX_LEN characters of UTF-8 text without control characters).
	 *
	 * @param Validator    $v    Validator.
	 * @param array<mixed> $item Object.
	 * @param string       $path Path.
	 */
	private static function sku( Validator $v, array $item, string $path ): string {
		return $v->string( $item, 'sku', 1, SkuMap::MAX_LEN, SkuMap::PATTERN, true, $path );
	}

	/**
	 * Fails a time more than MAX_AHEAD_MS ahead of this site's clock.
	 *
	 * @param Validator $v     Validator.
	 * @param int       $ms    Unix milliseconds.
	 * @param string    $field Field path.
	 */
	private static function not_ahead( Validator $v, int $ms, string $field ): int {
		if ( $ms > StockTables::now_ms() + self::MAX_AHEAD_MS ) {
			/* translators: %d: seconds. */
			$v->fail( $field, sprintf( __( 'must not be more than %d seconds ahead of this site\'s clock', 'syncline' ), (int) ( self::MAX_AHEAD_MS / 1000 ) ) );
		}
		return $ms;
	}

	/**
	 * The ERP read time in Unix milliseconds.
	 *
	 * @param Validator $v     Validator.
	 * @param mixed     $value ISO 8601 string or integer milliseconds.
	 * @param string    $field Field path.
	 */
	private static function read_at( Validator $v, $value, string $field ): int {
		if ( is_int( $value ) && $value > 0 && $value < 100000000000000 ) {
			return $value;
		}
		if ( is_string( $value ) && 1 === preg_match( self::ISO, $value ) ) {
			try {
				$date = new \DateTimeImmutable( $value );
				return (int) $date->format( 'U' ) * 1000 + (int) $date->format( 'v' );
			} catch ( \Exception $e ) {
				unset( $e );
			}
		}
		$v->fail( $field, __( 'must be an ISO 8601 time with a zone or Unix milliseconds', 'syncline' ) );
		return 0;
	}
}

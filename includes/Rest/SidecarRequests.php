<?php
/**
 * Decoding and validation of the sidecar's request bodies.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\InvalidRequest;

/**
 * One method per route; each returns the clean values or throws InvalidRequest with every bad field.
 */
final class SidecarRequests {

	private const WORKER  = '/^[A-Za-z0-9_.:@-]+$/';
	private const TOKEN   = '/^[A-Za-z0-9]{32}$/';
	private const CODE    = '/^[A-Za-z0-9_.:-]+$/';
	private const CIRCUIT = array( 'closed', 'open', 'half_open', 'half-open' );
	/** A heartbeat's erp.type (the sidecar's configured adapter) and erp.version (what its ping answered). */
	private const ERP_TYPE    = '/^[a-z][a-z0-9_-]{0,31}$/';
	private const ERP_VERSION = '/^[0-9A-Za-z.+_~ -]{1,64}$/';
	/** Most leases one worker may name in a renew or exclude list. */
	private const MAX_HELD = 500;
	/** Most pending siblings a done ack may close (a lease carries at most what its query reads). */
	private const MAX_COVERS = 1000;

	/**
	 * Decodes a JSON object body.
	 *
	 * @param string $body Raw body.
	 * @return array<mixed>
	 * @throws InvalidRequest When it is not a JSON object.
	 */
	public static function decode( string $body ): array {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) || ( array() !== $data && array_is_list( $data ) ) ) {
			throw InvalidRequest::fields( array( 'body' => __( 'must be a JSON object', 'syncline' ) ) );
		}
		return $data;
	}

	/**
	 * POST /lease.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{worker: string, limit: int, lease_seconds: int, wait_seconds: int, exclude: array<int, int>}
	 */
	public static function lease( array $data ): array {
		$v   = new Validator();
		$out = array(
			'worker'        => $v->string( $data, 'worker', 1, 64, self::WORKER ),
			'limit'         => $v->int( $data, 'limit', 1, 100 ),
			'lease_seconds' => $v->int( $data, 'lease_seconds', 5, 600 ),
			'wait_seconds'  => $v->int( $data, 'wait_seconds', 0, 25, 0 ),
			'exclude'       => self::ids( $v, $v->list( $data, 'exclude', 0, self::MAX_HELD, false ), 'exclude' ),
		);
		$v->check();
		return $out;
	}

	/**
	 * POST /events/renew.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{worker: string, leases: array<int, string>, lease_seconds: int} Leases as id => token.
	 */
	public static function renew( array $data ): array {
		$v      = new Validator();
		$worker = $v->string( $data, 'worker', 1, 64, self::WORKER );
		$leases = array();
		foreach ( $v->list( $data, 'leases', 1, self::MAX_HELD ) as $i => $item ) {
			$path = "leases[$i].";
			if ( ! is_array( $item ) || array_is_list( $item ) ) {
				$v->fail( "leases[$i]", __( 'must be an object', 'syncline' ) );
				continue;
			}
			$id            = $v->int( $item, 'id', 1, PHP_INT_MAX, null, $path );
			$leases[ $id ] = $v->string( $item, 'lease_token', 32, 32, self::TOKEN, true, $path );
		}
		$out = array(
			'worker'        => $worker,
			'leases'        => $leases,
			'lease_seconds' => $v->int( $data, 'lease_seconds', 5, 600 ),
		);
		$v->check();
		return $out;
	}

	/**
	 * A list of event ids.
	 *
	 * @param Validator    $v     Validator.
	 * @param array<mixed> $items The list.
	 * @param string       $field Field name.
	 * @return array<int, int>
	 */
	private static function ids( Validator $v, array $items, string $field ): array {
		$ids = array();
		foreach ( $items as $i => $id ) {
			if ( ! is_int( $id ) || $id < 1 ) {
				$v->fail( "{$field}[$i]", __( 'must be a positive integer', 'syncline' ) );
				continue;
			}
			$ids[] = $id;
		}
		return $ids;
	}

	/**
	 * POST /ack.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array{worker: string, results: array<int, array<string, mixed>>}
	 */
	public static function ack( array $data ): array {
		$v       = new Validator();
		$worker  = $v->string( $data, 'worker', 1, 64, self::WORKER );
		$results = array();
		foreach ( $v->list( $data, 'results', 1, 100 ) as $i => $item ) {
			$results[] = self::ack_result( $v, $item, "results[$i]." );
		}
		$v->check();
		return array(
			'worker'  => $worker,
			'results' => $results,
		);
	}

	/**
	 * One result of an ack.
	 *
	 * @param Validator $v    Validator.
	 * @param mixed     $item The result.
	 * @param string    $path Field path prefix.
	 * @return array<string, mixed>
	 */
	private static function ack_result( Validator $v, $item, string $path ): array {
		if ( ! is_array( $item ) || array_is_list( $item ) ) {
			$v->fail( rtrim( $path, '.' ), __( 'must be an object', 'syncline' ) );
			return array();
		}
		$out = array(
			'id'          => $v->int( $item, 'id', 1, PHP_INT_MAX, null, $path ),
			'lease_token' => $v->string( $item, 'lease_token', 32, 32, self::TOKEN, true, $path ),
			'outcome'     => $v->enum( $item, 'outcome', array( 'done', 'retry', 'needs_human' ), $path ),
		);
		if ( 'done' === $out['outcome'] ) {
			$out['refs'] = self::refs( $v, $v->object( $item, 'refs', true, $path ), $path . 'refs.' );
			if ( array_key_exists( 'covers', $item ) ) {
				$out['covers'] = self::covers( $v, $v->list( $item, 'covers', 0, self::MAX_COVERS, false, $path ), $path . 'covers' );
			}
		} elseif ( '' !== $out['outcome'] ) {
			$out['error'] = self::error( $v, $v->object( $item, 'error', true, $path ), $path . 'error.' );
		}
		if ( 'retry' === $out['outcome'] ) {
			$out['retry_after_seconds'] = $v->int( $item, 'retry_after_seconds', 0, 86400, 30, $path );
		}
		return $out;
	}

	/**
	 * The `covers` of a done result: the pending events (id, version) its lease carried, echoed back.
	 *
	 * @param Validator    $v     Validator.
	 * @param array<mixed> $items The list.
	 * @param string       $field Field path.
	 * @return array<int, array{id: int, version: int}>
	 */
	private static function covers( Validator $v, array $items, string $field ): array {
		$out = array();
		foreach ( $items as $i => $item ) {
			if ( ! is_array( $item ) || ! is_int( $item['id'] ?? null ) || $item['id'] < 1 || ! is_int( $item['version'] ?? null ) || $item['version'] < 0 ) {
				$v->fail( "{$field}[$i]", __( 'must be an object with a positive integer id and a non-negative integer version', 'syncline' ) );
				continue;
			}
			$out[] = array(
				'id'      => $item['id'],
				'version' => $item['version'],
			);
		}
		return $out;
	}

	/**
	 * ERP refs of a done result.
	 *
	 * @param Validator    $v    Validator.
	 * @param array<mixed> $refs Refs.
	 * @param string       $path Field path prefix.
	 * @return array<mixed>
	 */
	private static function refs( Validator $v, array $refs, string $path ): array {
		$v->string( $refs, 'erp', 1, 64, self::CODE, true, $path );
		foreach ( $v->list( $refs, 'documents', 0, 50, false, $path ) as $i => $doc ) {
			$p = "{$path}documents[$i].";
			if ( ! is_array( $doc ) || array_is_list( $doc ) ) {
				$v->fail( rtrim( $p, '.' ), __( 'must be an object', 'syncline' ) );
				continue;
			}
			$v->string( $doc, 'type', 1, 64, self::CODE, true, $p );
			if ( isset( $doc['id'] ) && ! is_string( $doc['id'] ) && ! is_int( $doc['id'] ) ) {
				$v->fail( $p . 'id', __( 'must be a string or an integer', 'syncline' ) );
			}
			$v->string( $doc, 'ref', 0, 191, null, false, $p );
			$v->string( $doc, 'url', 0, 2048, null, false, $p );
		}
		if ( array_key_exists( 'erp_counted', $refs ) && ! is_bool( $refs['erp_counted'] ) ) {
			$v->fail( $path . 'erp_counted', __( 'must be a boolean', 'syncline' ) );
		}
		foreach ( $v->list( $refs, 'steps', 0, 50, false, $path ) as $i => $step ) {
			if ( ! is_string( $step ) || strlen( $step ) > 64 ) {
				$v->fail( "{$path}steps[$i]", __( 'must be a string of at most 64 characters', 'syncline' ) );
			}
		}
		return $refs;
	}

	/**
	 * The error of a retry or needs_human result.
	 *
	 * @param Validator    $v     Validator.
	 * @param array<mixed> $error Error.
	 * @param string       $path  Field path prefix.
	 * @return array{code: string, message: string, details: mixed}
	 */
	private static function error( Validator $v, array $error, string $path ): array {
		return array(
			'code'    => $v->string( $error, 'code', 1, 64, self::CODE, true, $path ),
			'message' => $v->string( $error, 'message', 0, 2000, null, false, $path ),
			'details' => $error['details'] ?? null,
		);
	}

	/**
	 * POST /heartbeat.
	 *
	 * @param array<mixed> $data Decoded body.
	 * @return array<string, mixed>
	 */
	public static function heartbeat( array $data ): array {
		$v        = new Validator();
		$out      = array(
			'worker'         => $v->string( $data, 'worker', 1, 64, self::WORKER ),
			'version'        => $v->string( $data, 'version', 1, 32, '/^[0-9A-Za-z.+_-]+$/' ),
			'state'          => array_key_exists( 'state', $data ) ? $v->enum( $data, 'state', array( 'running', 'stopped' ) ) : 'running',
			'uptime_seconds' => $v->int( $data, 'uptime_seconds', 0, PHP_INT_MAX, 0 ),
			'counters'       => $v->object( $data, 'counters', false ),
			'erp'            => $v->object( $data, 'erp', false ),
		);
		$counters = $out['counters'];
		if ( count( $counters ) > 50 ) {
			$v->fail( 'counters', __( 'must have at most 50 entries', 'syncline' ) );
		}
		foreach ( $counters as $name => $value ) {
			if ( strlen( (string) $name ) > 64 || ! is_int( $value ) || $value < 0 ) {
				$v->fail( 'counters.' . $name, __( 'must be a non-negative integer', 'syncline' ) );
			}
		}
		self::erp_status( $v, $out['erp'] );
		$v->check();
		return $out;
	}

	/**
	 * The ERP part of a heartbeat.
	 *
	 * @param Validator    $v   Validator.
	 * @param array<mixed> $erp ERP status.
	 */
	private static function erp_status( Validator $v, array $erp ): void {
		if ( array_key_exists( 'type', $erp ) && ( ! is_string( $erp['type'] ) || 1 !== preg_match( self::ERP_TYPE, $erp['type'] ) ) ) {
			$v->fail( 'erp.type', __( 'must be an ERP type such as dolibarr or odoo', 'syncline' ) );
		}
		if ( isset( $erp['version'] ) && ( ! is_string( $erp['version'] ) || 1 !== preg_match( self::ERP_VERSION, $erp['version'] ) ) ) {
			$v->fail( 'erp.version', __( 'must be a version of 1 to 64 characters (letters, digits, . + _ ~ - and spaces) or null', 'syncline' ) );
		}
		if ( array_key_exists( 'reachable', $erp ) && ! is_bool( $erp['reachable'] ) ) {
			$v->fail( 'erp.reachable', __( 'must be a boolean', 'syncline' ) );
		}
		if ( array_key_exists( 'circuit', $erp ) ) {
			$v->enum( $erp, 'circuit', self::CIRCUIT, 'erp.' );
		}
		if ( isset( $erp['last_success_at'] ) && ( ! is_int( $erp['last_success_at'] ) || $erp['last_success_at'] < 0 ) ) {
			$v->fail( 'erp.last_success_at', __( 'must be a Unix time or null', 'syncline' ) );
		}
		if ( isset( $erp['unreachable_since'] ) && ( ! is_int( $erp['unreachable_since'] ) || $erp['unreachable_since'] < 0 ) ) {
			$v->fail( 'erp.unreachable_since', __( 'must be a Unix time or null', 'syncline' ) );
		}
		if ( array_key_exists( 'stale', $erp ) && ! is_bool( $erp['stale'] ) ) {
			$v->fail( 'erp.stale', __( 'must be a boolean', 'syncline' ) );
		}
		if ( isset( $erp['last_read_at'] ) && ( ! is_int( $erp['last_read_at'] ) || $erp['last_read_at'] < 0 ) ) {
			$v->fail( 'erp.last_read_at', __( 'must be a Unix time or null', 'syncline' ) );
		}
		if ( array_key_exists( 'stock_cap_percent', $erp ) && ( ! is_int( $erp['stock_cap_percent'] ) || $erp['stock_cap_percent'] < 0 || $erp['stock_cap_percent'] > 100 ) ) {
			$v->fail( 'erp.stock_cap_percent', __( 'must be an integer from 0 to 100', 'syncline' ) );
		}
	}
}

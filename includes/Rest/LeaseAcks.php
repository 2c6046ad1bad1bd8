<?php
/**
 * Acks carried on a lease request.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\InvalidRequest;
use Syncline\Outbox\Acks;

/**
 * The `acks` of `POST /lease` (issue 7: one request where a busy sidecar made two): the same results `POST /ack`
 * takes, applied before the lease claims anything, each fenced by its lease token exactly as there. Unlike
 * `/ack`, a result that does not validate refuses only itself (`syncline_invalid_ack`, with the fields): the
 * lease and the other acks go on. An `acks` that is not a list of at most 100 is a bad request, and nothing is
 * applied.
 */
final class LeaseAcks {

	public const MAX = 100;

	/**
	 * Builds the value.
	 *
	 * @param array<int, array<string, mixed>|InvalidRequest>|null $items Each validated result or why it was refused;
	 *                                                                    null when the request had no `acks`.
	 * @param array<int, int>                                      $ids   The id each item names (0 when none).
	 */
	private function __construct( private ?array $items, private array $ids ) {
	}

	/**
	 * Validates the body's `acks` (each result on its own).
	 *
	 * @param array<mixed> $body   Decoded body.
	 * @param string       $worker The lease's worker (validated).
	 * @throws InvalidRequest When `acks` is not a list of 0..100.
	 */
	public static function from_body( array $body, string $worker ): self {
		if ( ! array_key_exists( 'acks', $body ) ) {
			return new self( null, array() );
		}
		$v    = new Validator();
		$list = $v->list( $body, 'acks', 0, self::MAX, false );
		$v->check();
		$items = array();
		$ids   = array();
		foreach ( $list as $i => $item ) {
			$ids[ $i ] = is_array( $item ) && is_int( $item['id'] ?? null ) ? $item['id'] : 0;
			try {
				$items[ $i ] = SidecarRequests::ack(
					array(
						'worker'  => $worker,
						'results' => array( $item ),
					)
				)['results'][0];
			} catch ( InvalidRequest $e ) {
				$items[ $i ] = $e;
			}
		}
		return new self( $items, $ids );
	}

	/**
	 * Applies the valid results (in order) and answers one {id, ok[, code, message]} per item, in request order;
	 * null when the request carried no `acks`.
	 *
	 * @param Acks $acks The ack service.
	 * @return array<int, array<string, mixed>>|null
	 */
	public function apply( Acks $acks ): ?array {
		if ( null === $this->items ) {
			return null;
		}
		$valid   = array_filter( $this->items, 'is_array' );
		$applied = array_combine( array_keys( $valid ), $acks->apply( array_values( $valid ) ) );
		$out     = array();
		foreach ( $this->items as $i => $item ) {
			$out[] = $item instanceof InvalidRequest ? array(
				'id'      => $this->ids[ $i ],
				'ok'      => false,
				'code'    => 'syncline_invalid_ack',
				'message' => $item->getMessage(),
			) : $applied[ $i ];
		}
		return $out;
	}
}

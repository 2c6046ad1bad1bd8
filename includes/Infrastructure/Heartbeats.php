<?php
/**
 * The last heartbeat of each sidecar worker.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * Kept in the `syncline_heartbeats` option, at most MAX_WORKERS (the oldest are dropped).
 */
class Heartbeats {

	public const MAX_WORKERS = 20;

	/**
	 * Builds the store.
	 *
	 * @param Options $options Options.
	 * @param Clock   $clock   Time.
	 */
	public function __construct( private Options $options, private Clock $clock ) {
	}

	/**
	 * Stores a worker's heartbeat with the server time it arrived.
	 *
	 * @param array<string, mixed> $beat Validated heartbeat (worker, version, uptime_seconds, counters, erp).
	 */
	public function record( array $beat ): void {
		$all                    = $this->all();
		$beat['received_at']    = $this->clock->now();
		$all[ $beat['worker'] ] = $beat;
		uasort( $all, static fn ( $a, $b ) => (int) $b['received_at'] <=> (int) $a['received_at'] );
		$this->options->set( Options::HEARTBEATS, array_slice( $all, 0, self::MAX_WORKERS, true ) );
	}

	/**
	 * Every worker's last heartbeat, newest first.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public function all(): array {
		$all = $this->options->get( Options::HEARTBEATS, array() );
		return is_array( $all ) ? $all : array();
	}
}

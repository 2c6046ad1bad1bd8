<?php
/**
 * The scheduled reconciliation: queues a run, nothing more.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

/**
 * The WP-Cron job queues a run over the last DEFAULT_DAYS days (its `reconcile.run` outbox event is what the sidecar
 * leases); a run still queued or running is not queued twice.
 */
class ReconcileJob {

	public const DEFAULT_DAYS = 7;
	public const DAY          = 86400;

	/**
	 * Builds the job.
	 *
	 * @param ReconcileStore $store Runs.
	 */
	public function __construct( private ReconcileStore $store ) {
	}

	/** Queues a run (the cron job); returns a summary for the run log. */
	public function __invoke(): string {
		$latest = $this->store->latest();
		if ( null !== $latest && in_array( $latest['state'], array( 'queued', 'running' ), true ) ) {
			return sprintf( 'run %d still %s; none queued', $latest['id'], $latest['state'] );
		}
		$now = time();
		$id  = $this->store->queue( $now - self::DEFAULT_DAYS * self::DAY, $now + 60, false, 'cron' );
		return sprintf( 'reconciliation run %d queued', $id );
	}
}

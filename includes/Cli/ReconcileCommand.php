<?php
/**
 * `wp syncline reconcile [run|runs|items|repair] …`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Admin\Data\OverviewQuery;
use Syncline\Exception\SynclineException;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Reconcile\ReconcileJob;
use Syncline\Reconcile\ReconcileRequests;
use Syncline\Reconcile\ReconcileStore;
use Syncline\Reconcile\Repair;

/**
 * A run is queued in WordPress and done by the sidecar (the only thing that talks to the ERP): `run` queues it and
 * waits for the sidecar to report, then lists what it found; `--repair` enqueues the right resync for each
 * repairable item; the next run shows the repaired ones cleared.
 */
class ReconcileCommand {

	public const RUN_FIELDS      = array( 'id', 'state', 'trigger', 'window', 'orders_checked', 'skus_checked', 'found', 'repaired', 'cleared', 'duration_ms', 'message' );
	public const NO_SIDECAR_WAIT = 30;
	public const RUNNING_WAIT    = 1800;
	public const ITEM_FIELDS     = array( 'id', 'run_id', 'class', 'object_type', 'object_key', 'state', 'repairable', 'diff_minor', 'message' );

	/**
	 * Builds the command.
	 *
	 * @param ReconcileStore $store      Runs and items.
	 * @param Repair         $repair     Repairs.
	 * @param Heartbeats     $heartbeats Whether a sidecar is running.
	 */
	public function __construct( private ReconcileStore $store, private Repair $repair, private Heartbeats $heartbeats ) {
	}

	/**
	 * Reconciles WooCommerce with the ERP (orders and stock), lists runs and items, repairs items.
	 *
	 * ## OPTIONS
	 *
	 * [<action>]
	 * : run (default): queue a run and wait for the sidecar; runs: list runs; items: list items; repair: repair items.
	 * ---
	 * default: run
	 * options:
	 *   - run
	 *   - runs
	 *   - items
	 *   - repair
	 * ---
	 *
	 * [--since=<date>]
	 * : (run) Orders created at or after this date/time (default: 7 days ago), e.g. 2026-11-01 or "2026-11-01 08:00 UTC".
	 *
	 * [--repair]
	 * : (run) Repair every repairable item when the run ends.
	 *
	 * [--wait=<seconds>]
	 * : (run) How long to wait for the sidecar; 0 queues only.
	 * ---
	 * default: 600
	 * ---
	 *
	 * [--run=<id>]
	 * : (items, repair) The run (default: the newest).
	 *
	 * [--class=<class>]
	 * : (items) Only this class: missing_in_erp, duplicated_in_erp, total_mismatch, status_mismatch, no_outbox_event, stock_drift.
	 *
	 * [--state=<state>]
	 * : (items) Only this state: open, repair_queued, superseded, cleared.
	 *
	 * [--items=<ids>]
	 * : (repair) Comma-separated item ids (default: every repairable open item of the run).
	 *
	 * [--format=<format>]
	 * : Output format of listings.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 *   - count
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline reconcile
	 *     wp syncline reconcile --since=2026-11-01 --repair
	 *     wp syncline reconcile runs --format=json
	 *     wp syncline reconcile items --class=missing_in_erp --format=csv
	 *     wp syncline reconcile repair --run=12
	 *
	 * @param array<int, string>         $args  Positional arguments.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		$format = (string) ( $assoc['format'] ?? 'table' );
		try {
			match ( $args[0] ?? 'run' ) {
				'runs'   => $this->runs( $format ),
				'items'  => $this->items( $assoc, $format ),
				'repair' => $this->repair( $assoc ),
				default  => $this->run( $assoc, $format ),
			};
		} catch ( SynclineException $e ) {
			\WP_CLI::error( $e->getMessage() );
		}
	}

	/**
	 * Queues a run, waits for the sidecar, shows what it found.
	 *
	 * @param array<string, string|bool> $assoc  Options.
	 * @param string                     $format Output format.
	 */
	private function run( array $assoc, string $format ): void {
		$since = time() - ReconcileJob::DEFAULT_DAYS * ReconcileJob::DAY;
		if ( isset( $assoc['since'] ) ) {
			$parsed = strtotime( (string) $assoc['since'] );
			if ( false === $parsed || true === $assoc['since'] ) {
				/* translators: %s: the value given. */
				\WP_CLI::error( sprintf( __( 'Invalid --since "%s": use a date such as 2026-11-01 or "2026-11-01 08:00 UTC".', 'syncline' ), (string) $assoc['since'] ) );
			}
			if ( $parsed > time() ) {
				\WP_CLI::error( __( '--since is in the future.', 'syncline' ) );
			}
			$since = (int) $parsed;
		}
		$wait = $assoc['wait'] ?? '600';
		if ( ! is_string( $wait ) || 1 !== preg_match( '/^\d{1,5}$/', $wait ) ) {
			\WP_CLI::error( __( '--wait must be a whole number of seconds.', 'syncline' ) );
		}
		$id = $this->store->queue( $since, time() + 60, ! empty( $assoc['repair'] ), 'cli' );
		/* translators: 1: run id, 2: window start. */
		\WP_CLI::log( sprintf( __( 'Reconciliation run %1$d queued (orders since %2$s UTC).', 'syncline' ), $id, gmdate( 'Y-m-d H:i:s', $since ) ) );
		if ( 0 === (int) $wait ) {
			return;
		}
		$live = 'live' === OverviewQuery::sidecar( $this->heartbeats->all(), time() )['status'];
		if ( ! $live ) {
			\WP_CLI::warning( __( 'No live sidecar: waiting briefly for one to start; otherwise the run waits in the queue until one does (wp syncline sidecar start).', 'syncline' ) );
		}
		$run = $this->wait_for( $id, $live ? (int) $wait : min( (int) $wait, self::NO_SIDECAR_WAIT ) );
		if ( 'queued' === $run['state'] && ! $live ) {
			/* translators: %1$d: run id. */
			\WP_CLI::warning( sprintf( __( 'Run %1$d is still queued: it runs when a sidecar leases it (wp syncline reconcile items --run=%1$d afterwards).', 'syncline' ), $id ) );
			return;
		}
		if ( 'done' !== $run['state'] ) {
			/* translators: 1: run id, 2: state, 3: message. */
			\WP_CLI::error( sprintf( __( 'Reconciliation run %1$d did not finish: %2$s %3$s', 'syncline' ), $id, $run['state'], $run['message'] ) );
		}
		$items = $this->store->items_page( array( 'run_id' => $id ), 1, 100000 )['rows'];
		if ( array() !== $items ) {
			\WP_CLI\Utils\format_items( $format, $items, self::ITEM_FIELDS );
		}
		/* translators: 1: run id, 2: orders, 3: SKUs, 4: found, 5: repaired, 6: cleared, 7: seconds. */
		\WP_CLI::success( sprintf( __( 'Run %1$d: %2$d orders and %3$d SKUs checked, %4$d discrepancies, %5$d repairs queued, %6$d earlier items cleared (%7$.1f s).', 'syncline' ), $id, $run['orders_checked'], $run['skus_checked'], $run['found'], $run['repaired'], $run['cleared'], ( (int) $run['duration_ms'] ) / 1000 ) );
	}

	/**
	 * Waits until a run ended or the time is up, with a progress bar over the seconds waited.
	 *
	 * @param int $id      Run id.
	 * @param int $seconds Most seconds to wait while the run is queued; once running, until it ends.
	 * @return array<string, mixed> The run.
	 */
	private function wait_for( int $id, int $seconds ): array {
		$bar   = \WP_CLI\Utils\make_progress_bar( __( 'Waiting for the sidecar', 'syncline' ), $seconds );
		$start = microtime( true );
		$run   = $this->store->run( $id );
		$shown = 0;
		// A run the sidecar started is waited for to its end (at most RUNNING_WAIT more); a queued one for $seconds.
		while ( ! in_array( $run['state'], array( 'done', 'failed' ), true ) && microtime( true ) - $start < ( 'running' === $run['state'] ? $seconds + self::RUNNING_WAIT : $seconds ) ) {
			usleep( 250000 );
			for ( $elapsed = (int) ( microtime( true ) - $start ); $shown < $elapsed && $shown < $seconds; ++$shown ) {
				$bar->tick();
			}
			$run = $this->store->run( $id );
		}
		$bar->finish();
		return $run;
	}

	/**
	 * Lists runs.
	 *
	 * @param string $format Output format.
	 */
	private function runs( string $format ): void {
		$rows = array_map(
			static fn ( $r ) => $r + array( 'window' => gmdate( 'Y-m-d H:i', $r['window_from'] ) . ' – ' . gmdate( 'Y-m-d H:i', $r['window_to'] ) ),
			$this->store->runs_page( 1, 100 )['rows']
		);
		\WP_CLI\Utils\format_items( $format, $rows, self::RUN_FIELDS );
	}

	/**
	 * Lists items with filters.
	 *
	 * @param array<string, string|bool> $assoc  Options.
	 * @param string                     $format Output format.
	 */
	private function items( array $assoc, string $format ): void {
		$filter = array();
		if ( isset( $assoc['class'] ) ) {
			if ( ! in_array( $assoc['class'], ReconcileRequests::CLASSES, true ) ) {
				/* translators: %s: allowed classes. */
				\WP_CLI::error( sprintf( __( 'Unknown --class; use one of: %s', 'syncline' ), implode( ', ', ReconcileRequests::CLASSES ) ) );
			}
			$filter['class'] = (string) $assoc['class'];
		}
		if ( isset( $assoc['state'] ) ) {
			if ( ! in_array( $assoc['state'], ReconcileStore::ITEM_STATES, true ) ) {
				/* translators: %s: allowed states. */
				\WP_CLI::error( sprintf( __( 'Unknown --state; use one of: %s', 'syncline' ), implode( ', ', ReconcileStore::ITEM_STATES ) ) );
			}
			$filter['state'] = (string) $assoc['state'];
		}
		$filter['run_id'] = $this->run_id( $assoc );
		\WP_CLI\Utils\format_items( $format, $this->store->items_page( $filter, 1, 100000 )['rows'], self::ITEM_FIELDS );
	}

	/**
	 * Repairs items of a run (all repairable open ones, or the ids given), with a progress bar.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 */
	private function repair( array $assoc ): void {
		if ( isset( $assoc['items'] ) ) {
			$raw = array_map( 'trim', explode( ',', is_string( $assoc['items'] ) ? $assoc['items'] : '' ) );
			if ( array() !== array_filter( $raw, static fn ( $id ) => 1 !== preg_match( '/^[1-9]\d{0,18}$/', $id ) ) ) {
				\WP_CLI::error( __( '--items takes comma-separated item ids (positive whole numbers).', 'syncline' ) );
			}
			$ids   = array_values( array_unique( array_map( 'intval', $raw ) ) );
			$items = $this->store->items_page( array( 'ids' => $ids ), 1, max( 1, count( $ids ) ) )['rows'];
			$found = array_column( $items, 'id' );
			$gone  = array_diff( $ids, $found );
			if ( array() !== $gone ) {
				/* translators: %s: item ids. */
				\WP_CLI::error( sprintf( __( 'No such item: %s', 'syncline' ), implode( ', ', $gone ) ) );
			}
		} else {
			$items = $this->store->items_page(
				array(
					'run_id' => $this->run_id( $assoc ),
					'state'  => 'open',
				),
				1,
				1000000
			)['rows'];
		}
		$todo = count( array_filter( $items, static fn ( $i ) => $i['repairable'] && 'open' === $i['state'] ) );
		$bar  = \WP_CLI\Utils\make_progress_bar( __( 'Queueing repairs', 'syncline' ), max( 1, $todo ) );
		$done = $this->repair->repair( $items, static fn () => $bar->tick() );
		$bar->finish();
		/* translators: 1: repaired, 2: skipped. */
		\WP_CLI::success( sprintf( __( '%1$d repair(s) queued for the sidecar; %2$d item(s) need a person (not repairable or not open).', 'syncline' ), $done['repaired'], $done['skipped'] ) );
	}

	/**
	 * The run named by --run, or the newest.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 */
	private function run_id( array $assoc ): int {
		if ( isset( $assoc['run'] ) ) {
			if ( ! is_string( $assoc['run'] ) || 1 !== preg_match( '/^[1-9]\d{0,18}$/', $assoc['run'] ) ) {
				\WP_CLI::error( __( '--run must be a run id (a positive whole number).', 'syncline' ) );
			}
			return (int) $this->store->run( (int) $assoc['run'] )['id'];
		}
		$latest = $this->store->latest();
		if ( null === $latest ) {
			\WP_CLI::error( __( 'No reconciliation run yet: start one with wp syncline reconcile.', 'syncline' ) );
		}
		return (int) $latest['id'];
	}
}

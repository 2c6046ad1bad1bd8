<?php
/**
 * Reconciliation runs and their items.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Exception\Conflict;
use Syncline\Exception\NotFound;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxWriter;

/**
 * A run is `queued` (its `reconcile.run` outbox event waits for the sidecar), `running` (the sidecar started it),
 * `done` or `failed`. Items are `open`, `repair_queued` (a repair enqueued its resync), `superseded` (a later run
 * found the same discrepancy again: that run's item is the current one) or `cleared` (a later run that checked the
 * object found nothing wrong any more).
 */
class ReconcileStore {

	public const TOPIC        = 'reconcile.run';
	public const OBJECT_TYPE  = 'reconcile';
	public const OPEN_STATES  = array( 'open', 'repair_queued' );
	public const ITEM_STATES  = array( 'open', 'repair_queued', 'superseded', 'cleared' );
	private const INSERT_ROWS = 200;

	/**
	 * Builds the store.
	 *
	 * @param Db           $db     Database.
	 * @param OutboxWriter $writer Outbox writer.
	 * @param Clock        $clock  Time.
	 */
	public function __construct( private Db $db, private OutboxWriter $writer, private Clock $clock ) {
	}

	/**
	 * Records a run and the outbox event that asks the sidecar to do it.
	 *
	 * @param int    $from    Window start, Unix seconds.
	 * @param int    $to      Window end, Unix seconds.
	 * @param bool   $repair  Repair every repairable item when the run ends.
	 * @param string $trigger cron|cli|admin.
	 * @return int Run id.
	 */
	public function queue( int $from, int $to, bool $repair, string $trigger ): int {
		$this->db->query(
			'INSERT INTO ' . $this->runs() . ' (state, trigger_source, window_from, window_to, repair, created_at) VALUES (%s, %s, %d, %d, %d, %d)',
			array( 'queued', $trigger, $from, $to, $repair ? 1 : 0, $this->clock->now() )
		);
		$id = $this->db->insert_id();
		$this->writer->record( self::TOPIC, self::OBJECT_TYPE, $id );
		return $id;
	}

	/**
	 * Marks a run running (the sidecar's first call; a replayed start after a sidecar crash starts it over).
	 *
	 * @param int $id Run id.
	 * @return array<string, mixed> The run.
	 * @throws Conflict When the run already ended.
	 */
	public function start( int $id ): array {
		$run = $this->run( $id );
		if ( in_array( $run['state'], array( 'done', 'failed' ), true ) ) {
			throw new Conflict( esc_html( sprintf( 'Reconciliation run %d already ended (%s).', $id, $run['state'] ) ) );
		}
		$this->db->query( 'DELETE FROM ' . $this->items() . ' WHERE run_id = %d', array( $id ) );
		$this->db->query( 'UPDATE ' . $this->runs() . " SET state = 'running', started_at = %d WHERE id = %d", array( $this->clock->now(), $id ) );
		return $this->run( $id );
	}

	/**
	 * Adds items to a running run (multi-row INSERTs).
	 *
	 * @param int                              $id    Run id.
	 * @param array<int, array<string, mixed>> $items Validated items.
	 * @throws Conflict When the run is not running.
	 */
	public function add_items( int $id, array $items ): void {
		if ( 'running' !== $this->run( $id )['state'] ) {
			throw new Conflict( esc_html( sprintf( 'Reconciliation run %d is not running.', $id ) ) );
		}
		foreach ( array_chunk( $items, self::INSERT_ROWS ) as $chunk ) {
			$values = array();
			$args   = array();
			foreach ( $chunk as $item ) {
				$values[] = '(%d, %s, %s, %s, %s, %d, ' . ( null === $item['diff_minor'] ? 'NULL' : '%d' ) . ', %s, %s, ' . ( null === $item['object_time'] ? 'NULL' : '%d' ) . ')';
				array_push( $args, $id, $item['class'], $item['object_type'], $item['object_key'], 'open', $item['repairable'] ? 1 : 0 );
				if ( null !== $item['diff_minor'] ) {
					$args[] = $item['diff_minor'];
				}
				array_push( $args, $item['message'], (string) wp_json_encode( (object) $item['details'] ) );
				if ( null !== $item['object_time'] ) {
					$args[] = $item['object_time'];
				}
			}
			$this->db->query(
				'INSERT INTO ' . $this->items() . ' (run_id, class, object_type, object_key, state, repairable, diff_minor, message, details, object_time) VALUES ' . implode( ', ', $values ),
				$args
			);
		}
	}

	/**
	 * Ends a run: counts per class; earlier open items found again are superseded, earlier open items of objects
	 * this run checked and found fine are cleared.
	 *
	 * @param int         $id             Run id.
	 * @param int         $orders_checked Orders compared.
	 * @param int         $skus_checked   SKUs compared.
	 * @param string|null $failed         Why the run failed (null: it did not).
	 * @param int|null    $duration_ms    How long the sidecar worked (null: from the start and end times here).
	 * @return array<string, mixed> The run.
	 */
	public function finish( int $id, int $orders_checked, int $skus_checked, ?string $failed, ?int $duration_ms = null ): array {
		$run   = $this->run( $id );
		$items = $this->items();
		$now   = $this->clock->now();
		$count = array();
		foreach ( $this->db->rows( "SELECT class, COUNT(*) AS n FROM {$items} WHERE run_id = %d GROUP BY class", array( $id ) ) as $row ) {
			$count[ (string) $row['class'] ] = (int) $row['n'];
		}
		$cleared = 0;
		if ( null === $failed ) {
			$this->db->query(
				"UPDATE {$items} o JOIN {$items} n ON n.run_id = %d AND n.class = o.class AND n.object_key = o.object_key AND n.object_type = o.object_type
				SET o.state = 'superseded', o.cleared_by_run = %d WHERE o.run_id < %d AND o.state IN ('open', 'repair_queued')",
				array( $id, $id, $id )
			);
			$cleared = $this->db->query(
				"UPDATE {$items} o LEFT JOIN {$items} n ON n.run_id = %d AND n.class = o.class AND n.object_key = o.object_key AND n.object_type = o.object_type
				SET o.state = 'cleared', o.cleared_by_run = %d
				WHERE o.run_id < %d AND o.state IN ('open', 'repair_queued') AND n.id IS NULL
				AND ( o.object_type = 'sku' OR ( o.object_time >= %d AND o.object_time < %d ) )",
				array( $id, $id, $id, (int) $run['window_from'], (int) $run['window_to'] )
			);
		}
		$started = (int) ( $run['started_at'] ?? $now );
		$this->db->query(
			'UPDATE ' . $this->runs() . ' SET state = %s, orders_checked = %d, skus_checked = %d, found = %d, cleared = %d, counts = %s, message = %s, finished_at = %d, duration_ms = %d WHERE id = %d',
			array( null === $failed ? 'done' : 'failed', $orders_checked, $skus_checked, array_sum( $count ), $cleared, (string) wp_json_encode( (object) $count ), (string) $failed, $now, $duration_ms ?? max( 0, $now - $started ) * 1000, $id )
		);
		return $this->run( $id );
	}

	/**
	 * Records how many items a repair enqueued.
	 *
	 * @param int $id       Run id.
	 * @param int $repaired Items whose resync was enqueued.
	 */
	public function add_repaired( int $id, int $repaired ): void {
		$this->db->query( 'UPDATE ' . $this->runs() . ' SET repaired = repaired + %d WHERE id = %d', array( $repaired, $id ) );
	}

	/**
	 * One run.
	 *
	 * @param int $id Run id.
	 * @return array<string, mixed>
	 * @throws NotFound When there is none.
	 */
	public function run( int $id ): array {
		$row = $this->db->row( 'SELECT * FROM ' . $this->runs() . ' WHERE id = %d', array( $id ) );
		if ( null === $row ) {
			throw new NotFound( esc_html( sprintf( 'No reconciliation run %d.', $id ) ) );
		}
		return self::run_view( $row );
	}

	/**
	 * Runs, newest first unless $order says otherwise.
	 *
	 * @param int    $page     1-based page.
	 * @param int    $per_page Page size.
	 * @param string $order    ORDER BY ending with the id (SortArgs::RECONCILE_RUNS).
	 * @return array{rows: array<int, array<string, mixed>>, total: int}
	 */
	public function runs_page( int $page, int $per_page, string $order = 'id DESC' ): array {
		$rows = $this->db->rows( 'SELECT * FROM ' . $this->runs() . " ORDER BY {$order} LIMIT %d OFFSET %d", array( $per_page, ( $page - 1 ) * $per_page ) );
		return array(
			'rows'  => array_map( array( self::class, 'run_view' ), $rows ),
			'total' => (int) $this->db->value( 'SELECT COUNT(*) FROM ' . $this->runs() ),
		);
	}

	/**
	 * Items filtered by run, class and state, in id order unless $order says otherwise.
	 *
	 * @param array{run_id?: int|null, class?: string|null, state?: string|null, ids?: array<int, int>} $filter   Filters.
	 * @param int                                                                                       $page     1-based page.
	 * @param int                                                                                       $per_page Page size.
	 * @param string                                                                                    $order    ORDER BY ending with the id (SortArgs::RECONCILE_ITEMS).
	 * @return array{rows: array<int, array<string, mixed>>, total: int}
	 */
	public function items_page( array $filter, int $page, int $per_page, string $order = 'id ASC' ): array {
		$where = array( '1 = 1' );
		$args  = array();
		if ( isset( $filter['run_id'] ) ) {
			$where[] = 'run_id = %d';
			$args[]  = $filter['run_id'];
		}
		foreach ( array( 'class', 'state' ) as $field ) {
			if ( isset( $filter[ $field ] ) ) {
				$where[] = "{$field} = %s";
				$args[]  = $filter[ $field ];
			}
		}
		if ( isset( $filter['ids'] ) ) {
			$ids     = array() === $filter['ids'] ? array( 0 ) : $filter['ids'];
			$where[] = 'id IN (' . implode( ', ', array_fill( 0, count( $ids ), '%d' ) ) . ')';
			$args    = array_merge( $args, $ids );
		}
		$sql   = implode( ' AND ', $where );
		$total = (int) $this->db->value( 'SELECT COUNT(*) FROM ' . $this->items() . " WHERE {$sql}", $args );
		$rows  = $this->db->rows( 'SELECT * FROM ' . $this->items() . " WHERE {$sql} ORDER BY {$order} LIMIT %d OFFSET %d", array_merge( $args, array( $per_page, ( $page - 1 ) * $per_page ) ) );
		return array(
			'rows'  => array_map( array( self::class, 'item_view' ), $rows ),
			'total' => $total,
		);
	}

	/**
	 * Marks items repair-queued.
	 *
	 * @param array<int, int> $ids Item ids.
	 */
	public function mark_repaired( array $ids ): void {
		foreach ( array_chunk( $ids, 500 ) as $chunk ) {
			$marks = implode( ', ', array_fill( 0, count( $chunk ), '%d' ) );
			$this->db->query( 'UPDATE ' . $this->items() . " SET state = 'repair_queued', repaired_at = %d WHERE id IN ({$marks})", array_merge( array( $this->clock->now() ), $chunk ) );
		}
	}

	/**
	 * The newest run (null: none yet).
	 *
	 * @return array<string, mixed>|null
	 */
	public function latest(): ?array {
		$row = $this->db->row( 'SELECT * FROM ' . $this->runs() . ' ORDER BY id DESC LIMIT 1' );
		return null === $row ? null : self::run_view( $row );
	}

	/**
	 * A run row as the API shows it.
	 *
	 * @param array<string, mixed> $row Row.
	 * @return array<string, mixed>
	 */
	private static function run_view( array $row ): array {
		$counts = json_decode( (string) ( $row['counts'] ?? '' ), true );
		return array(
			'id'             => (int) $row['id'],
			'state'          => (string) $row['state'],
			'trigger'        => (string) $row['trigger_source'],
			'window_from'    => (int) $row['window_from'],
			'window_to'      => (int) $row['window_to'],
			'repair'         => 1 === (int) $row['repair'],
			'orders_checked' => (int) $row['orders_checked'],
			'skus_checked'   => (int) $row['skus_checked'],
			'found'          => (int) $row['found'],
			'repaired'       => (int) $row['repaired'],
			'cleared'        => (int) $row['cleared'],
			'counts'         => is_array( $counts ) ? $counts : array(),
			'message'        => (string) ( $row['message'] ?? '' ),
			'created_at'     => (int) $row['created_at'],
			'started_at'     => null === $row['started_at'] ? null : (int) $row['started_at'],
			'finished_at'    => null === $row['finished_at'] ? null : (int) $row['finished_at'],
			'duration_ms'    => null === $row['duration_ms'] ? null : (int) $row['duration_ms'],
		);
	}

	/**
	 * An item row as the API shows it.
	 *
	 * @param array<string, mixed> $row Row.
	 * @return array<string, mixed>
	 */
	private static function item_view( array $row ): array {
		$details = json_decode( (string) ( $row['details'] ?? '' ), true );
		return array(
			'id'          => (int) $row['id'],
			'run_id'      => (int) $row['run_id'],
			'class'       => (string) $row['class'],
			'object_type' => (string) $row['object_type'],
			'object_key'  => (string) $row['object_key'],
			'state'       => (string) $row['state'],
			'repairable'  => 1 === (int) $row['repairable'],
			'diff_minor'  => null === $row['diff_minor'] ? null : (int) $row['diff_minor'],
			'message'     => (string) $row['message'],
			'details'     => is_array( $details ) ? $details : array(),
			'repaired_at' => null === $row['repaired_at'] ? null : (int) $row['repaired_at'],
		);
	}

	/** Runs table. */
	private function runs(): string {
		return $this->db->table( ReconcileSchema::RUNS );
	}

	/** Items table. */
	private function items(): string {
		return $this->db->table( ReconcileSchema::ITEMS );
	}
}

<?php
/**
 * Applies ERP available-to-sell readings to WooCommerce stock, relatively.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Exception\Conflict;
use Syncline\Infrastructure\Db;

/**
 * For each reading (sku, ats, read_at): refuses it when read_at is not newer than the last applied one, else
 * adds delta = (ats − last_ats) + (quantity the ERP counted in (last_read_at, read_at]) to _stock with one
 * relative UPDATE per chunk, so a checkout's concurrent relative decrement is never erased. A SKU seen for
 * the first time is set absolutely to ats − in-flight. See docs/ARCHITECTURE.md "Stock (ATS)".
 */
class StockApplier {

	/**
	 * Builds the applier.
	 *
	 * @param Db              $db         Database.
	 * @param StoreProducts   $products   SKU resolution.
	 * @param InFlight        $inflight   In-flight orders.
	 * @param StockInvariants $invariants WooCommerce invariants.
	 */
	public function __construct( private Db $db, private StoreProducts $products, private InFlight $inflight, private StockInvariants $invariants ) {
	}

	/**
	 * Applies validated readings (distinct SKUs).
	 *
	 * @param array<int, array{sku: string, ats: int, read_at: int}> $items Readings, read_at in ms.
	 * @return array{applied: int, unchanged: int, skipped_stale: int, unknown_in_store: array<int, string>, not_managed: array<int, string>}
	 * @throws Conflict When another apply holds the lock for too long.
	 */
	public function apply( array $items ): array {
		// Named locks are server-wide: scoped to this site's database and prefix, so sites sharing a MySQL server
		// (shared hosting, staging beside production) do not queue behind each other's applies.
		$lock = 'syncline_stock_' . substr( md5( DB_NAME . '.' . $this->db->prefix() ), 0, 16 );
		if ( 1 !== (int) $this->db->value( 'SELECT GET_LOCK(%s, %d)', array( $lock, 20 ) ) ) {
			throw new Conflict( esc_html__( 'Another stock apply is running; try again.', 'syncline' ) );
		}
		try {
			return $this->apply_locked( $items );
		} finally {
			$this->db->value( 'SELECT RELEASE_LOCK(%s)', array( $lock ) );
		}
	}

	/**
	 * Takes stock back from WooCommerce, relatively, with every invariant the apply keeps (stock status, parent
	 * status, lookup table, caches, woocommerce_updated_product_stock): the compensation when a cancelled order's
	 * stock, already counted by the ERP, was given back by WooCommerce. Unknown and unmanaged SKUs are left alone.
	 *
	 * @param array<string, int> $qty_by_sku Quantity to take back per SKU.
	 */
	public function take_back( array $qty_by_sku ): void {
		$qty_by_sku = array_filter( $qty_by_sku, static fn ( $qty ) => $qty > 0 );
		if ( array() === $qty_by_sku ) {
			return;
		}
		$deltas  = array();
		$parents = array();
		foreach ( $this->products->by_sku( array_map( 'strval', array_keys( $qty_by_sku ) ) ) as $sku => $product ) {
			if ( ! $product['managed'] || ! $product['has_stock'] ) {
				continue;
			}
			$deltas[ $product['id'] ] = ( $deltas[ $product['id'] ] ?? 0 ) - $qty_by_sku[ $sku ];
			$parents[]                = $product['parent'];
		}
		$this->relative( $deltas );
		$this->invariants->restore( array_keys( $deltas ), $parents );
	}

	/**
	 * The apply, under the lock.
	 *
	 * @param array<int, array{sku: string, ats: int, read_at: int}> $items Readings.
	 * @return array{applied: int, unchanged: int, skipped_stale: int, unknown_in_store: array<int, string>, not_managed: array<int, string>}
	 * @throws \Throwable A storage error, after rolling back.
	 */
	private function apply_locked( array $items ): array {
		$skus     = array_map( static fn ( $i ) => $i['sku'], $items );
		$products = $this->products->by_sku( $skus );
		$states   = $this->states( $skus );
		$plan     = ( new ApplyPlan( $products, $states ) )->build( $items, $this->windows( $items, $states ) );
		$this->db->transaction(
			function () use ( $plan ): void {
				$this->write_states( $plan->states );
				$this->missing_stock_rows( $plan->needs_row );
				$this->relative( $plan->deltas );
				$this->absolute( $plan->absolute );
			}
		);
		$this->invariants->restore( $plan->changed_ids(), $plan->parents );
		return $plan->result();
	}

	/**
	 * Last applied state per SKU.
	 *
	 * @param array<int, string> $skus SKUs.
	 * @return array<string, array{ats: int, read_at: int}>
	 */
	private function states( array $skus ): array {
		$table = $this->db->table( StockTables::STOCK_STATE );
		$marks = implode( ', ', array_fill( 0, count( $skus ), '%s' ) );
		$out   = array();
		foreach ( $this->db->rows( "SELECT sku, last_erp_ats, last_read_at FROM {$table} WHERE sku IN ({$marks})", $skus ) as $row ) {
			$out[ (string) $row['sku'] ] = array(
				'ats'     => (int) $row['last_erp_ats'],
				'read_at' => (int) $row['last_read_at'],
			);
		}
		return $out;
	}

	/**
	 * Counted quantities in each known SKU's window (last_read_at, read_at].
	 *
	 * @param array<int, array{sku: string, ats: int, read_at: int}> $items  Readings.
	 * @param array<string, array{ats: int, read_at: int}>           $states States.
	 * @return array<string, int>
	 */
	private function windows( array $items, array $states ): array {
		$windows = array();
		foreach ( $items as $item ) {
			$state = $states[ $item['sku'] ] ?? null;
			if ( null !== $state && $item['read_at'] > $state['read_at'] ) {
				$windows[ $item['sku'] ] = array( $state['read_at'], $item['read_at'] );
			}
		}
		return $this->inflight->counted_between( $windows );
	}

	/**
	 * Upserts the per-SKU state (one statement).
	 *
	 * @param array<string, array{ats: int, read_at: int}> $states New states.
	 */
	private function write_states( array $states ): void {
		if ( array() === $states ) {
			return;
		}
		$table  = $this->db->table( StockTables::STOCK_STATE );
		$values = array();
		$args   = array();
		$now    = StockTables::now_ms();
		foreach ( $states as $sku => $state ) {
			$values[] = '(%s, %d, %d, %d)';
			array_push( $args, (string) $sku, $state['ats'], $state['read_at'], $now );
		}
		$this->db->query(
			"INSERT INTO {$table} (sku, last_erp_ats, last_read_at, applied_at) VALUES " . implode( ', ', $values ) . '
			ON DUPLICATE KEY UPDATE last_erp_ats = VALUES(last_erp_ats), last_read_at = VALUES(last_read_at), applied_at = VALUES(applied_at)',
			$args
		);
	}

	/**
	 * Creates _stock = 0 rows for managed products that have none (so the relative write has a row).
	 *
	 * @param array<int, int> $ids Product ids.
	 */
	private function missing_stock_rows( array $ids ): void {
		if ( array() === $ids ) {
			return;
		}
		$meta = $this->db->prefix() . 'postmeta';
		$rows = implode( ', ', array_fill( 0, count( $ids ), "(%d, '_stock', '0')" ) );
		$this->db->query( "INSERT INTO {$meta} (post_id, meta_key, meta_value) VALUES {$rows}", $ids );
	}

	/**
	 * `_stock = _stock + delta` for every product in one statement (atomic per row, like checkout's decrement).
	 *
	 * @param array<int, int> $deltas Product id => delta.
	 */
	private function relative( array $deltas ): void {
		if ( array() === $deltas ) {
			return;
		}
		$meta = $this->db->prefix() . 'postmeta';
		$rows = implode( ' UNION ALL ', array_fill( 0, count( $deltas ), 'SELECT %d AS id, %d AS delta' ) );
		$args = array();
		foreach ( $deltas as $id => $delta ) {
			array_push( $args, $id, $delta );
		}
		$this->db->query(
			"UPDATE {$meta} pm JOIN ({$rows}) d ON d.id = pm.post_id
			SET pm.meta_value = CAST(pm.meta_value AS SIGNED) + d.delta WHERE pm.meta_key = '_stock'",
			$args
		);
	}

	/**
	 * First sight: `_stock = ats − what WooCommerce took that this reading does not reflect`, one statement.
	 *
	 * @param array<int, array{sku: string, ats: int, read_at: int}> $absolute Product id => reading.
	 */
	private function absolute( array $absolute ): void {
		if ( array() === $absolute ) {
			return;
		}
		$meta = $this->db->prefix() . 'postmeta';
		$rows = implode( ' UNION ALL ', array_fill( 0, count( $absolute ), 'SELECT %d AS id, %s AS sku, %d AS ats, %d AS read_at' ) );
		$args = array();
		foreach ( $absolute as $id => $r ) {
			array_push( $args, $id, $r['sku'], $r['ats'], $r['read_at'] );
		}
		$inflight = $this->db->table( StockTables::INFLIGHT );
		$this->db->query(
			"UPDATE {$meta} pm JOIN ({$rows}) d ON d.id = pm.post_id
			SET pm.meta_value = d.ats - (SELECT COALESCE(SUM(i.qty), 0) FROM {$inflight} i WHERE i.sku = d.sku
				AND ((i.counted_at IS NULL AND i.state = 'reduced') OR i.counted_at > d.read_at))
			WHERE pm.meta_key = '_stock'",
			$args
		);
	}
}

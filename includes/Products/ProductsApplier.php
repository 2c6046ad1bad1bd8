<?php
/**
 * Writes ERP master data into WooCommerce: only owned fields that changed, through WooCommerce's product API.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Infrastructure\Db;
use Syncline\Outbox\OutboxSchema;
use Syncline\Stock\StoreProducts;

/**
 * One request = one batch (at most 200 items): the products are found by SKU in one query (ERP ref → SKU through
 * the SKU map, else the ref itself; variations by their own SKU), their posts and meta primed in two queries, and
 * each changed product is saved with WC_Product::save(), so WooCommerce's lookup table, caches, price sync of the
 * parent and hooks stay right. Unchanged products are not saved. Term counting is deferred to the end of the batch.
 * Placed orders keep their own line prices: nothing here touches an order.
 */
class ProductsApplier {

	/**
	 * Builds the applier.
	 *
	 * @param Db                $db         Database.
	 * @param StoreProducts     $store      SKU → product.
	 * @param ProductExceptions $exceptions Exception queue.
	 * @param ProductsContext   $context    Cursor.
	 * @param ProductsSettings  $settings   Settings.
	 * @param SyncRequests      $requests   Dry-run answers.
	 */
	public function __construct(
		private Db $db,
		private StoreProducts $store,
		private ProductExceptions $exceptions,
		private ProductsContext $context,
		private ProductsSettings $settings,
		private SyncRequests $requests
	) {
	}

	/**
	 * Applies one validated batch.
	 *
	 * @param array{items: array<int, array<string, mixed>>, exceptions: array<int, array{ref: string, code: string, message: string}>, dry_run: bool, request: int, cursor: string} $req Request.
	 * @return array{written: int, unchanged: int, created: int, unknown: array<int, string>, exceptions_recorded: int, exceptions_resolved: int, changes: array<int, array{ref: string, id: int, fields: object}>}
	 * @throws \Throwable A failed save, after rolling the batch back.
	 */
	public function apply( array $req ): array {
		$dry    = $req['dry_run'];
		$sku_of = $this->skus_for( array_map( static fn ( $i ) => (string) $i['ref'], $req['items'] ) );
		$found  = $this->store->by_sku( array_values( array_unique( $sku_of ) ) );
		if ( array() !== $found ) {
			_prime_post_caches( array_map( static fn ( $p ) => $p['id'], array_values( $found ) ), false, true );
		}
		wp_defer_term_counting( true );
		$batch = new SaveBatch();
		$batch->begin();
		try {
			$write = fn (): array => $this->write( $req['items'], $sku_of, $found, $batch, $dry );
			// One transaction per batch: one commit (one log flush) instead of one per statement of each save.
			list( $out, $met, $synced ) = $dry ? $write() : $this->db->transaction( $write );
		} finally {
			$batch->end();
			wp_defer_term_counting( false );
		}
		if ( ! $dry ) {
			$problems                   = array_merge( $req['exceptions'], $met );
			$out['exceptions_recorded'] = $this->exceptions->record( $problems );
			$out['exceptions_resolved'] = $this->exceptions->resolve( $synced, $problems, fn () => $this->context->tax_classes() );
			if ( '' !== $req['cursor'] ) {
				$this->context->set_cursor( $req['cursor'] );
			}
		}
		if ( $req['request'] > 0 ) {
			$this->requests->add_result( $req['request'], $out );
		}
		return $out;
	}

	/**
	 * Diffs each item against its product and saves the changed ones in $batch (none in a dry run).
	 *
	 * @param array<int, array<string, mixed>> $items  Items.
	 * @param array<string, string>            $sku_of ERP ref → SKU.
	 * @param array<string, array{id: int}>    $found  SKU → product found.
	 * @param SaveBatch                        $batch  The batch the saves belong to.
	 * @param bool                             $dry    Dry run: diff only.
	 * @return array{0: array{written: int, unchanged: int, created: int, unknown: array<int, string>, exceptions_recorded: int, exceptions_resolved: int, changes: array<int, array{ref: string, id: int, fields: object}>}, 1: array<int, array{ref: string, code: string, message: string}>, 2: array<int, string>}
	 *     The counts, the problems the items showed, the refs synced.
	 */
	private function write( array $items, array $sku_of, array $found, SaveBatch $batch, bool $dry ): array {
		$owned  = self::owned_keys( $this->settings->owned() );
		$out    = array(
			'written'             => 0,
			'unchanged'           => 0,
			'created'             => 0,
			'unknown'             => array(),
			'exceptions_recorded' => 0,
			'exceptions_resolved' => 0,
			'changes'             => array(),
		);
		$met    = array();
		$synced = array();
		foreach ( $items as $item ) {
			$ref     = (string) $item['ref'];
			$sku     = $sku_of[ $ref ];
			$product = isset( $found[ $sku ] ) ? wc_get_product( $found[ $sku ]['id'] ) : null;
			$created = false;
			if ( ! $product instanceof \WC_Product ) {
				if ( ! $this->settings->create_missing() ) {
					$out['unknown'][] = $ref;
					continue;
				}
				$product = $this->draft( $sku, $item );
				$created = true;
				unset( $item['status'] ); // Created products stay drafts until a person publishes them.
			} else {
				$item = array_intersect_key( $item, $owned ); // Only what the ERP owns, whatever the sidecar sent.
			}
			list( $changes, $item_met ) = ProductFields::diff( $product, $item );
			$met                        = array_merge( $met, $item_met );
			$synced[]                   = $ref;
			if ( array() === $changes && ! $created ) {
				++$out['unchanged'];
				continue;
			}
			if ( ! $dry ) {
				ProductFields::write( $product, $changes );
				$product->save();
				$batch->saved( (int) $product->get_id() );
			}
			$out[ $created ? 'created' : 'written' ]++;
			$out['changes'][] = array(
				'ref'    => $ref,
				'id'     => (int) $product->get_id(),
				'fields' => (object) $changes,
			);
		}
		return array( $out, $met, $synced );
	}

	/**
	 * Item keys of the owned fields (ref always).
	 *
	 * @param array<int, string> $fields Owned fields.
	 * @return array<string, true>
	 */
	private static function owned_keys( array $fields ): array {
		$keys = array( 'ref' => true );
		foreach ( $fields as $field ) {
			foreach ( 'weight' === $field ? array( 'weight_g' ) : ( 'dimensions' === $field ? array( 'length_mm', 'width_mm', 'height_mm' ) : array( $field ) ) as $key ) {
				$keys[ $key ] = true;
			}
		}
		return $keys;
	}

	/**
	 * A new draft product for a ref the store lacks (not saved here).
	 *
	 * @param string               $sku  SKU.
	 * @param array<string, mixed> $item Item.
	 */
	private function draft( string $sku, array $item ): \WC_Product {
		$product = new \WC_Product_Simple();
		$product->set_sku( $sku );
		$product->set_status( 'draft' );
		$product->set_name( (string) ( $item['name'] ?? $sku ) );
		return $product;
	}

	/**
	 * ERP ref → WooCommerce SKU: through the SKU map where a SKU is mapped to that ref, else the ref itself.
	 *
	 * @param array<int, string> $refs ERP refs.
	 * @return array<string, string>
	 */
	private function skus_for( array $refs ): array {
		$out = array_combine( $refs, $refs );
		if ( array() === $refs ) {
			return array();
		}
		$table = $this->db->table( OutboxSchema::SKU_MAP );
		$marks = implode( ', ', array_fill( 0, count( $refs ), '%s' ) );
		foreach ( $this->db->rows( "SELECT wc_sku, erp_ref FROM {$table} WHERE erp_ref IN ({$marks}) ORDER BY wc_sku", $refs ) as $row ) {
			$out[ (string) $row['erp_ref'] ] = (string) $row['wc_sku'];
		}
		return $out;
	}
}

<?php
/**
 * Master data sync requests (`wp syncline sync products`, the schedule) and their dry-run answers.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxWriter;
use Syncline\Outbox\SkuMap;

/**
 * A request is an outbox event `products.sync` whose object id names the request (0 = a full sync, the
 * schedule's); the SKUs and the dry-run flag are kept in one option (the last 20 requests), translated to ERP refs
 * through the SKU map when the sidecar asks (POST /products/request). A dry run's answer (what would change) is
 * stored on the request, for the CLI that waits for it.
 */
class SyncRequests {

	public const OPTION = 'syncline_products_requests';
	public const TOPIC  = 'products.sync';
	public const TYPE   = 'products_request';
	private const KEEP  = 20;

	/**
	 * Builds the store.
	 *
	 * @param Options      $options Options.
	 * @param OutboxWriter $writer  Outbox writer.
	 * @param SkuMap       $sku_map SKU map.
	 */
	public function __construct( private Options $options, private OutboxWriter $writer, private SkuMap $sku_map ) {
	}

	/**
	 * The stored requests.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private function all(): array {
		$all = $this->options->get( self::OPTION, array() );
		return is_array( $all ) ? $all : array();
	}

	/**
	 * Queues a sync for the sidecar; returns the request id (0: a full sync, coalesced with a pending one).
	 *
	 * @param array<int, string> $skus    WooCommerce SKUs (empty: every product).
	 * @param bool               $dry_run Compare only.
	 */
	public function queue( array $skus, bool $dry_run ): int {
		$id = 0;
		if ( array() !== $skus || $dry_run ) {
			$all        = $this->all();
			$id         = ( array() === $all ? 0 : (int) max( array_keys( $all ) ) ) + 1;
			$all[ $id ] = array(
				'skus'    => array_values( $skus ),
				'dry_run' => $dry_run,
				'result'  => null,
			);
			$this->options->set( self::OPTION, array_slice( $all, -self::KEEP, null, true ) );
		}
		$this->writer->record( self::TOPIC, self::TYPE, $id );
		return $id;
	}

	/**
	 * What request `id` asks for: ERP refs (empty: every product) and the dry-run flag.
	 *
	 * @param int $id Request id.
	 * @return array{refs: array<int, string>, dry_run: bool}
	 */
	public function get( int $id ): array {
		$request = 0 === $id ? null : ( $this->all()[ $id ] ?? null );
		if ( ! is_array( $request ) ) {
			// 0, or a request no longer kept: a full sync (a forgotten dry run stays harmless: it writes nothing).
			return array(
				'refs'    => array(),
				'dry_run' => 0 !== $id,
			);
		}
		$skus = array_map( 'strval', (array) $request['skus'] );
		$map  = $this->sku_map->for_skus( $skus );
		return array(
			'refs'    => array_values( array_unique( array_map( static fn ( $s ) => $map[ $s ] ?? $s, $skus ) ) ),
			'dry_run' => true === $request['dry_run'],
		);
	}

	/**
	 * Adds one apply answer to a dry run's stored result.
	 *
	 * @param int                  $id     Request id.
	 * @param array<string, mixed> $answer Apply answer.
	 */
	public function add_result( int $id, array $answer ): void {
		$all = $this->all();
		if ( ! isset( $all[ $id ] ) ) {
			return;
		}
		$result = is_array( $all[ $id ]['result'] ) ? $all[ $id ]['result'] : array(
			'written'   => 0,
			'unchanged' => 0,
			'created'   => 0,
			'unknown'   => array(),
			'changes'   => array(),
		);
		foreach ( array( 'written', 'unchanged', 'created' ) as $k ) {
			$result[ $k ] += (int) $answer[ $k ];
		}
		$result['unknown']    = array_merge( $result['unknown'], (array) $answer['unknown'] );
		$result['changes']    = array_merge( $result['changes'], (array) $answer['changes'] );
		$all[ $id ]['result'] = $result;
		$this->options->set( self::OPTION, $all );
	}

	/**
	 * The stored result of a request (null: not answered yet).
	 *
	 * @param int $id Request id.
	 * @return array<string, mixed>|null
	 */
	public function result( int $id ): ?array {
		wp_cache_delete( self::OPTION, 'options' );
		$request = $this->all()[ $id ] ?? null;
		return is_array( $request ) && is_array( $request['result'] ) ? $request['result'] : null;
	}
}

<?php
/**
 * Reconciliation routes: the sidecar's (signed) and the admin screen's.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Exception\InvalidRequest;
use Syncline\Outbox\Mappings;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SignatureVerifier;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Sidecar (HMAC-signed like /lease): POST /reconcile/start, /reconcile/orders, /reconcile/stock, /reconcile/report.
 * Admin (manage_woocommerce): GET /admin/reconcile/runs, GET /admin/reconcile/items, POST /admin/reconcile/runs
 * (queue a run now), POST /admin/reconcile/repair (item ids, or every repairable item of a run).
 */
class ReconcileController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier HMAC check.
	 * @param ReconcileStore    $store    Runs and items.
	 * @param StoreSnapshot     $snapshot WooCommerce's side.
	 * @param Repair            $repair   Repairs.
	 * @param Mappings|null     $mappings Order statuses the operator mapped to `skip` (never missing in the ERP).
	 */
	public function __construct( private SignatureVerifier $verifier, private ReconcileStore $store, private StoreSnapshot $snapshot, private Repair $repair, private ?Mappings $mappings = null ) {
	}

	/** Adds the routes. */
	protected function register_routes(): void {
		$this->register_signed_routes(
			array(
				'/reconcile/start'  => fn ( array $body ) => $this->store->start( ReconcileRequests::run_id( $body ) ) + array( 'skip_statuses' => $this->skip_statuses() ),
				'/reconcile/orders' => fn ( array $body ) => $this->orders( ReconcileRequests::orders_page( $body ) ),
				'/reconcile/stock'  => fn ( array $body ) => $this->stock( ReconcileRequests::stock_page( $body ) ),
				'/reconcile/report' => fn ( array $body ) => $this->report( ReconcileRequests::report( $body ) ),
			),
			$this->verifier
		);
		$admin = fn () => $this->can_manage();
		register_rest_route(
			self::NAMESPACE,
			'/admin/reconcile/runs',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->paged( $this->store->runs_page( (int) $r['page'], (int) $r['per_page'], SortArgs::order( $r, SortArgs::RECONCILE_RUNS ) ), (int) $r['per_page'] ) ),
					'permission_callback' => $admin,
					'args'                => PaginationArgs::schema() + SortArgs::schema( SortArgs::RECONCILE_RUNS ),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->queue( (int) $r['days'], (bool) $r['repair'] ) ),
					'permission_callback' => $admin,
					'args'                => array(
						'days'   => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 366,
							'default' => ReconcileJob::DEFAULT_DAYS,
						),
						'repair' => array(
							'type'    => 'boolean',
							'default' => false,
						),
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/reconcile/items',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->items( $r ) ),
				'permission_callback' => $admin,
				'args'                => array_merge(
					PaginationArgs::schema( 500, 50 ),
					SortArgs::schema( SortArgs::RECONCILE_ITEMS ),
					array(
						'run_id' => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'class'  => array(
							'type' => 'string',
							'enum' => ReconcileRequests::CLASSES,
						),
						'state'  => array(
							'type' => 'string',
							'enum' => ReconcileStore::ITEM_STATES,
						),
					)
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/reconcile/repair',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->repair_request( $r ) ),
				'permission_callback' => $admin,
				'args'                => array(
					'ids'    => array(
						'type'     => 'array',
						'items'    => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'maxItems' => 10000,
					),
					'run_id' => array(
						'type'    => 'integer',
						'minimum' => 1,
					),
				),
			)
		);
	}

	/**
	 * WooCommerce statuses mapped to `skip` (admin → Mappings → Order statuses).
	 *
	 * @return array<int, string>
	 */
	private function skip_statuses(): array {
		if ( null === $this->mappings ) {
			return array();
		}
		$rows = array_filter( $this->mappings->get_all( Mappings::ORDER_STATUS ), static fn ( $m ) => 'skip' === $m['erp_value'] );
		return array_values( array_map( static fn ( $m ) => $m['wc_key'], $rows ) );
	}

	/**
	 * A page of orders of the run's window.
	 *
	 * @param array{run_id: int, after_id: int, limit: int} $q Request.
	 * @return array<string, mixed>
	 */
	private function orders( array $q ): array {
		$run    = $this->store->run( $q['run_id'] );
		$orders = $this->snapshot->orders( (int) $run['window_from'], (int) $run['window_to'], $q['after_id'], $q['limit'] );
		$last   = end( $orders );
		return array(
			'orders'        => $orders,
			'next_after_id' => count( $orders ) === $q['limit'] && false !== $last ? $last['id'] : null,
		);
	}

	/**
	 * A page of managed-stock SKUs.
	 *
	 * @param array{after_sku: string, limit: int} $q Request.
	 * @return array<string, mixed>
	 */
	private function stock( array $q ): array {
		$items = $this->snapshot->stock( $q['after_sku'], $q['limit'] );
		$last  = end( $items );
		return array(
			'items'          => $items,
			'next_after_sku' => count( $items ) === $q['limit'] && false !== $last ? $last['sku'] : null,
		);
	}

	/**
	 * Stores reported items; the final report ends the run (and repairs, when the run asked for it).
	 *
	 * @param array<string, mixed> $r Validated report.
	 * @return array<string, mixed>
	 */
	private function report( array $r ): array {
		$this->store->add_items( $r['run_id'], $r['items'] );
		if ( null === $r['final'] && null === $r['failed'] ) {
			return array( 'added' => count( $r['items'] ) );
		}
		$final = $r['final'] ?? array(
			'orders_checked' => 0,
			'skus_checked'   => 0,
			'duration_ms'    => 0,
		);
		$run   = $this->store->finish( $r['run_id'], $final['orders_checked'], $final['skus_checked'], $r['failed'], $final['duration_ms'] > 0 ? $final['duration_ms'] : null );
		if ( null === $r['failed'] && $run['repair'] ) {
			$this->repair->repair_run( $r['run_id'] );
			$run = $this->store->run( $r['run_id'] );
		}
		return array(
			'added' => count( $r['items'] ),
			'run'   => $run,
		);
	}

	/**
	 * Queues a run now.
	 *
	 * @param int  $days   Window in days back from now.
	 * @param bool $repair Repair when it ends.
	 * @return array<string, mixed>
	 */
	private function queue( int $days, bool $repair ): array {
		$now = time();
		return $this->store->run( $this->store->queue( $now - $days * ReconcileJob::DAY, $now + 60, $repair, 'admin' ) );
	}

	/**
	 * Items with filters.
	 *
	 * @param WP_REST_Request $r Request.
	 */
	private function items( WP_REST_Request $r ): WP_REST_Response {
		$filter = array();
		foreach ( array( 'run_id', 'class', 'state' ) as $key ) {
			if ( null !== $r[ $key ] ) {
				$filter[ $key ] = 'run_id' === $key ? (int) $r[ $key ] : (string) $r[ $key ];
			}
		}
		return $this->paged( $this->store->items_page( $filter, (int) $r['page'], (int) $r['per_page'], SortArgs::order( $r, SortArgs::RECONCILE_ITEMS ) ), (int) $r['per_page'] );
	}

	/**
	 * Repairs items by id, or every repairable item of a run.
	 *
	 * @param WP_REST_Request $r Request.
	 * @return array<string, mixed>
	 * @throws InvalidRequest When neither is given.
	 */
	private function repair_request( WP_REST_Request $r ): array {
		if ( null !== $r['run_id'] ) {
			return $this->repair->repair_run( (int) $r['run_id'] );
		}
		$ids = array_map( 'intval', (array) ( $r['ids'] ?? array() ) );
		if ( array() === $ids ) {
			throw InvalidRequest::fields( array( 'ids' => __( 'give item ids or a run_id', 'syncline' ) ) );
		}
		$items = $this->store->items_page( array( 'ids' => $ids ), 1, count( $ids ) );
		return $this->repair->repair( $items['rows'] );
	}

	/**
	 * A page with WordPress's pagination headers.
	 *
	 * @param array{rows: array<int, array<string, mixed>>, total: int} $page     Page.
	 * @param int                                                       $per_page Page size.
	 */
	private function paged( array $page, int $per_page ): WP_REST_Response {
		return \Syncline\Rest\PagedResponse::of( $page['rows'], $page['total'], $per_page );
	}
}

<?php
/**
 * CSV import/export and change history of the SKU map (the core owns GET/PUT /admin/mappings/sku).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\MappingHistory;
use Syncline\Admin\Data\SkuCsv;
use Syncline\Exception\InvalidRequest;
use Syncline\Infrastructure\Clock;
use Syncline\Outbox\SkuMap;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;


/**
 * POST /admin/mappings/sku/import {csv} → {saved, errors:[{line, message}]} (a body without a `csv` string is a 400);
 * GET /admin/mappings/sku/export → {filename, csv}; GET /admin/mappings/sku/history.
 */
final class SkuTransferController extends RestController {

	private const MAX_BYTES = 2097152;

	/**
	 * Builds the controller.
	 *
	 * @param SkuMap         $map     The SKU map.
	 * @param MappingHistory $history The history of mapping changes.
	 * @param Clock          $clock   Time.
	 */
	public function __construct( private SkuMap $map, private MappingHistory $history, private Clock $clock ) {
	}

	/** Registers import, export and history. */
	protected function register_routes(): void {
		$perm = array( $this, 'can_manage' );
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/sku/import',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->import( $r ) ),
					'permission_callback' => $perm,
					'args'                => array(
						'csv' => array(
							'type'        => 'string',
							'required'    => true,
							'description' => __( 'The CSV text (wc_sku,erp_ref), in a JSON body {"csv": "..."}.', 'syncline' ),
						),
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/sku/export',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn() => $this->run(
						fn() => array(
							'filename' => 'syncline-sku-map-' . gmdate( 'Ymd-His', $this->clock->now() ) . '.csv',
							'csv'      => SkuCsv::write( $this->map->all() ),
						)
					),
					'permission_callback' => $perm,
					'args'                => array(),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/sku/history',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->history( $r ) ),
					'permission_callback' => $perm,
					'args'                => PaginationArgs::schema( 100, 20 ) + SortArgs::schema( SortArgs::HISTORY ),
				),
			)
		);
	}

	/**
	 * Saves the good rows, reports the bad ones.
	 *
	 * @param WP_REST_Request $r The request.
	 * @return array{saved: int, errors: array<int, array{line: int, message: string}>}
	 * @throws InvalidRequest When the body has no `csv` string, or it is empty or too large.
	 */
	private function import( WP_REST_Request $r ): array {
		$csv = $r->get_param( 'csv' );
		if ( ! is_string( $csv ) ) {
			throw InvalidRequest::with( __( 'Send the CSV text in the "csv" field.', 'syncline' ), array( 'csv' => __( 'Required.', 'syncline' ) ) );
		}
		if ( '' === trim( $csv ) ) {
			throw InvalidRequest::with( __( 'The CSV is empty.', 'syncline' ), array( 'csv' => __( 'The CSV is empty.', 'syncline' ) ) );
		}
		if ( strlen( $csv ) > self::MAX_BYTES ) {
			throw InvalidRequest::with( __( 'The CSV is larger than 2 MB; split it.', 'syncline' ), array( 'csv' => __( 'Too large.', 'syncline' ) ) );
		}
		$parsed = SkuCsv::parse( $csv );
		$saved  = $this->map->save_many( $parsed['pairs'] );
		return array(
			'saved'  => $saved,
			'errors' => $parsed['errors'],
		);
	}

	/**
	 * One page of SKU map changes, newest first, in this route's own shape (wc_sku, old_erp_ref, new_erp_ref).
	 *
	 * @param WP_REST_Request $r The request.
	 */
	private function history( WP_REST_Request $r ): WP_REST_Response {
		$per_page = $this->int_param( $r, 'per_page' );
		$page     = $this->history->page( MappingHistory::SKU, $this->int_param( $r, 'page' ), $per_page, SortArgs::order( $r, SortArgs::HISTORY ) );
		$items    = array_map(
			static fn( array $line ): array => array(
				'wc_sku'      => $line['wc_key'],
				'old_erp_ref' => $line['old'],
				'new_erp_ref' => $line['new'],
				'user'        => $line['user'],
				'at'          => $line['at'],
			),
			$page['items']
		);
		return PagedResponse::of( $items, $page['total'], $per_page );
	}
}

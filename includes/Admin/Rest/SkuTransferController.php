<?php
/**
 * CSV import/export and change history of the SKU map (the core owns GET/PUT /admin/mappings/sku).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Rest;

use Syncline\Admin\Data\AdminInvalidInput;
use Syncline\Admin\Data\SkuCsv;
use Syncline\Admin\Data\SkuMapStore;
use Syncline\Infrastructure\Clock;
use WP_REST_Request;
use WP_REST_Server;

/**
 * POST /admin/mappings/sku/import {csv} → {saved, errors:[{line, message}]} (a body without a `csv` string is a 400);
 * GET /admin/mappings/sku/export → {filename, csv}; GET /admin/mappings/sku/history.
 */
final class SkuTransferController extends AdminController {

	private const MAX_BYTES = 2097152;

	/**
	 * Builds the controller.
	 *
	 * @param SkuMapStore $store The map and its audit.
	 * @param Clock       $clock Time.
	 */
	public function __construct( private SkuMapStore $store, private Clock $clock ) {
	}

	/** Registers import, export and history. */
	public function register_routes(): void {
		$perm = fn() => $this->check_permission();
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
							'csv'      => SkuCsv::write( $this->store->all() ),
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
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->store->history( $this->int_param( $r, 'per_page' ) ) ),
					'permission_callback' => $perm,
					'args'                => array(
						'per_page' => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 100,
							'default' => 20,
						),
					),
				),
			)
		);
	}

	/**
	 * Saves the good rows, reports the bad ones.
	 *
	 * @param WP_REST_Request $r The request.
	 * @return array{saved: int, errors: array<int, array{line: int, message: string}>}
	 * @throws AdminInvalidInput When the body has no `csv` string, or it is empty or too large.
	 */
	private function import( WP_REST_Request $r ): array {
		$csv = $r->get_param( 'csv' );
		if ( ! is_string( $csv ) ) {
			throw new AdminInvalidInput( __( 'Send the CSV text in the "csv" field.', 'syncline' ), array( 'csv' => __( 'Required.', 'syncline' ) ) );
		}
		if ( '' === trim( $csv ) ) {
			throw new AdminInvalidInput( __( 'The CSV is empty.', 'syncline' ), array( 'csv' => __( 'The CSV is empty.', 'syncline' ) ) );
		}
		if ( strlen( $csv ) > self::MAX_BYTES ) {
			throw new AdminInvalidInput( __( 'The CSV is larger than 2 MB; split it.', 'syncline' ), array( 'csv' => __( 'Too large.', 'syncline' ) ) );
		}
		$parsed = SkuCsv::parse( $csv );
		$saved  = $this->store->save_many( $parsed['pairs'] );
		return array(
			'saved'  => $saved,
			'errors' => $parsed['errors'],
		);
	}
}

<?php
/**
 * Admin routes over the SKU map.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Exception\InvalidRequest;
use Syncline\Outbox\SkuMap;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;


/**
 * GET /admin/mappings/sku (search, page, per_page) and PUT /admin/mappings/sku {wc_sku, erp_ref}.
 */
class SkuMappingsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SkuMap $sku_map The SKU map.
	 */
	public function __construct( private SkuMap $sku_map ) {
	}

	/**
	 * Adds the route.
	 */
	protected function register_routes(): void {
		$field = array(
			'type'      => 'string',
			'required'  => true,
			'minLength' => 1,
			'maxLength' => 191,
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/sku',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->list( $r ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array( 'search' => array( 'type' => 'string' ) ) + PaginationArgs::schema( 500, 50 ) + SortArgs::schema( SortArgs::SKU_MAP ),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->save( (string) $r['wc_sku'], (string) $r['erp_ref'] ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array(
						'wc_sku'  => $field,
						'erp_ref' => $field,
					),
				),
			)
		);
	}

	/**
	 * One page of mappings.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function list( WP_REST_Request $request ): WP_REST_Response {
		$per_page = $this->int_param( $request, 'per_page' );
		$page     = $this->sku_map->page( (string) $request['search'], $this->int_param( $request, 'page' ), $per_page, SortArgs::order( $request, SortArgs::SKU_MAP ) );
		$items    = array_map(
			static function ( array $r ): array {
				$user = (int) $r['updated_by'] > 0 ? get_userdata( (int) $r['updated_by'] ) : false;
				return array(
					'wc_sku'     => (string) $r['wc_sku'],
					'erp_ref'    => (string) $r['erp_ref'],
					'updated_at' => (int) $r['updated_at'],
					'updated_by' => $user ? $user->user_login : null,
				);
			},
			$page['rows']
		);
		return PagedResponse::of( $items, $page['total'], $per_page );
	}

	/**
	 * Sets one mapping.
	 *
	 * @param string $wc_sku  SKU.
	 * @param string $erp_ref ERP product ref.
	 * @return array<string, string>
	 * @throws InvalidRequest When a value breaks SkuMap::problem()'s rule.
	 */
	private function save( string $wc_sku, string $erp_ref ): array {
		$wc_sku  = trim( $wc_sku );
		$erp_ref = trim( $erp_ref );
		$errors  = array();
		foreach ( array(
			'wc_sku'  => $wc_sku,
			'erp_ref' => $erp_ref,
		) as $key => $value ) {
			$problem = SkuMap::problem( $value );
			if ( null !== $problem ) {
				$errors[ $key ] = $problem;
			}
		}
		if ( array() !== $errors ) {
			throw InvalidRequest::fields( $errors );
		}
		$this->sku_map->set( $wc_sku, $erp_ref );
		return array(
			'wc_sku'  => $wc_sku,
			'erp_ref' => $erp_ref,
		);
	}
}

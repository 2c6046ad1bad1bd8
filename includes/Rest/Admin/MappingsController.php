<?php
/**
 * Admin routes over the mappings other than SKUs, and the history of every mapping change.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\MappingHistory;
use Syncline\Admin\Data\MappingRules;
use Syncline\Exception\NotFound;
use Syncline\Outbox\Mappings;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;


/**
 * GET/PUT /admin/mappings/{type}, DELETE /admin/mappings/{type}/{wc_key}, GET /admin/mappings/history.
 */
final class MappingsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param Mappings       $mappings The mappings.
	 * @param MappingHistory $history  The history of every mapping change.
	 */
	public function __construct( private Mappings $mappings, private MappingHistory $history ) {
	}

	/** Registers the routes. */
	protected function register_routes(): void {
		$perm = array( $this, 'can_manage' );
		$type = '(?P<type>' . implode( '|', Mappings::TYPES ) . ')';
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/history',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->history( $r ) ),
					'permission_callback' => $perm,
					'args'                => array(
						'type' => array(
							'type' => 'string',
							'enum' => array_merge( array( MappingHistory::SKU ), Mappings::TYPES ),
						),
					) + PaginationArgs::schema( 100, 30 ) + SortArgs::schema( SortArgs::HISTORY ),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/' . $type,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->list( (string) $r['type'] ) ),
					'permission_callback' => $perm,
					'args'                => array(),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->save( (string) $r['type'], $r['wc_key'], $r['erp_value'] ) ),
					'permission_callback' => $perm,
					'args'                => array(
						'wc_key'    => array( 'description' => __( 'WooCommerce key (status, gateway id, tax rate id, method id or channel).', 'syncline' ) ),
						'erp_value' => array( 'description' => __( 'ERP value for that key.', 'syncline' ) ),
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/' . $type . '/(?P<wc_key>[^/]+)',
			array(
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->remove( (string) $r['type'], (string) $r['wc_key'] ) ),
					'permission_callback' => $perm,
					'args'                => array(),
				),
			)
		);
	}

	/**
	 * The mappings of one type.
	 *
	 * @param string $type Type.
	 * @return array<int, array<string, mixed>>
	 */
	private function list( string $type ): array {
		return array_map(
			static function ( array $r ): array {
				$user = $r['updated_by'] > 0 ? get_userdata( $r['updated_by'] ) : false;
				return array(
					'wc_key'     => $r['wc_key'],
					'erp_value'  => $r['erp_value'],
					'updated_at' => $r['updated_at'],
					'updated_by' => $user ? $user->user_login : null,
				);
			},
			$this->mappings->get_all( $type )
		);
	}

	/**
	 * Validates and saves one mapping.
	 *
	 * @param string $type      Type.
	 * @param mixed  $wc_key    Key.
	 * @param mixed  $erp_value Value.
	 * @return array{type: string, wc_key: string, erp_value: string}
	 */
	private function save( string $type, $wc_key, $erp_value ): array {
		$clean = MappingRules::check( $type, $wc_key, $erp_value );
		$this->mappings->set( $type, $clean['wc_key'], $clean['erp_value'] );
		return array( 'type' => $type ) + $clean;
	}

	/**
	 * Deletes one mapping.
	 *
	 * @param string $type   Type.
	 * @param string $wc_key Key.
	 * @return array{deleted: bool}
	 * @throws NotFound When there is no such mapping.
	 */
	private function remove( string $type, string $wc_key ): array {
		if ( ! $this->mappings->delete( $type, rawurldecode( $wc_key ) ) ) {
			throw new NotFound( __( 'No such mapping.', 'syncline' ) );
		}
		return array( 'deleted' => true );
	}

	/**
	 * One page of mapping changes (every type, SKUs included, or one type), newest first.
	 *
	 * @param WP_REST_Request $r The request.
	 */
	private function history( WP_REST_Request $r ): WP_REST_Response {
		$type     = $r->get_param( 'type' );
		$per_page = $this->int_param( $r, 'per_page' );
		$page     = $this->history->page( is_string( $type ) && '' !== $type ? $type : null, $this->int_param( $r, 'page' ), $per_page, SortArgs::order( $r, SortArgs::HISTORY ) );
		return PagedResponse::of( $page['items'], $page['total'], $per_page );
	}
}

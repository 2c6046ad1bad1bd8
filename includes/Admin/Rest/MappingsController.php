<?php
/**
 * Admin routes over the mappings other than SKUs, and the history of every mapping change.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Rest;

use Syncline\Admin\Data\AdminNotFound;
use Syncline\Admin\Data\MappingRules;
use Syncline\Infrastructure\Db;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\SkuMap;
use WP_REST_Request;
use WP_REST_Server;

/**
 * GET/PUT /admin/mappings/{type}, DELETE /admin/mappings/{type}/{wc_key}, GET /admin/mappings/history.
 */
final class MappingsController extends AdminController {

	/**
	 * Builds the controller.
	 *
	 * @param Mappings $mappings The mappings.
	 * @param Db       $db       Database (history reads).
	 */
	public function __construct( private Mappings $mappings, private Db $db ) {
	}

	/** Registers the routes. */
	public function register_routes(): void {
		$perm = fn() => $this->check_permission();
		$type = '(?P<type>' . implode( '|', Mappings::TYPES ) . ')';
		register_rest_route(
			self::NAMESPACE,
			'/admin/mappings/history',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->history( $this->int_param( $r, 'per_page' ) ) ),
					'permission_callback' => $perm,
					'args'                => array(
						'per_page' => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 100,
							'default' => 30,
						),
					),
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
	 * @throws AdminNotFound When there is no such mapping.
	 */
	private function remove( string $type, string $wc_key ): array {
		if ( ! $this->mappings->delete( $type, rawurldecode( $wc_key ) ) ) {
			throw new AdminNotFound( __( 'No such mapping.', 'syncline' ) );
		}
		return array( 'deleted' => true );
	}

	/**
	 * The latest mapping changes of every type (SKUs included), newest first.
	 *
	 * @param int $limit How many.
	 * @return array<int, array<string, mixed>>
	 */
	private function history( int $limit ): array {
		$log  = $this->db->table( OutboxSchema::EVENT_LOG );
		$rows = $this->db->rows(
			"SELECT id, at, kind, details, user_id FROM {$log} WHERE event_id = 0 AND kind IN (%s, %s) ORDER BY id DESC LIMIT %d",
			array( Mappings::AUDIT_KIND, SkuMap::AUDIT_KIND, max( 1, $limit ) )
		);
		$out  = array();
		foreach ( $rows as $row ) {
			$d     = json_decode( (string) $row['details'], true );
			$d     = is_array( $d ) ? $d : array();
			$sku   = SkuMap::AUDIT_KIND === $row['kind'];
			$user  = (int) $row['user_id'] > 0 ? get_userdata( (int) $row['user_id'] ) : false;
			$out[] = array(
				'id'     => (int) $row['id'],
				'type'   => $sku ? 'sku' : (string) ( $d['type'] ?? '' ),
				'wc_key' => (string) ( $sku ? ( $d['wc_sku'] ?? '' ) : ( $d['wc_key'] ?? '' ) ),
				'old'    => isset( $d['old'] ) ? (string) $d['old'] : null,
				'new'    => isset( $d['new'] ) ? (string) $d['new'] : null,
				'user'   => $user ? $user->user_login : null,
				'at'     => (int) $row['at'],
			);
		}
		return $out;
	}
}

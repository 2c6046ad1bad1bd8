<?php
/**
 * POST /syncline/v1/admin/settings/test-connection.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\ConnectionTest;
use Syncline\Rest\RestController;
use WP_REST_Server;


/**
 * Records an `erp.ping` event for the sidecar; the screen then polls GET /admin/events/{id} for the answer.
 */
final class ConnectionTestController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param ConnectionTest $test The connection test.
	 */
	public function __construct( private ConnectionTest $test ) {
	}

	/** Registers POST /admin/settings/test-connection. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/settings/test-connection',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn() => $this->run( fn() => $this->test->start() ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				'schema' => static fn() => array(
					'$schema'    => 'http://json-schema.org/draft-04/schema#',
					'title'      => 'syncline_connection_test',
					'type'       => 'object',
					'properties' => array(
						'event_id'          => array( 'type' => 'integer' ),
						'sidecar_connected' => array( 'type' => 'boolean' ),
						'sidecar'           => array( 'type' => array( 'object', 'null' ) ),
					),
				),
			)
		);
	}
}

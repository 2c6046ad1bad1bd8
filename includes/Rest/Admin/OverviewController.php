<?php
/**
 * GET /syncline/v1/admin/overview.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\OverviewQuery;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Options;
use Syncline\Rest\RestController;
use WP_REST_Server;


/**
 * Sidecar health, queue counts, oldest pending age, exception reasons, 24 h of pushed orders.
 */
final class OverviewController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param OverviewQuery $overview The query service.
	 * @param Options       $options  Heartbeats live in an option.
	 * @param Clock         $clock    Time.
	 */
	public function __construct( private OverviewQuery $overview, private Options $options, private Clock $clock ) {
	}

	/** Registers GET /admin/overview. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/overview',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn() => $this->run( fn() => $this->overview->overview( $this->clock->now(), $this->options->get( Options::HEARTBEATS, array() ) ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array(),
				),
				'schema' => static fn() => array(
					'$schema' => 'http://json-schema.org/draft-04/schema#',
					'title'   => 'syncline_admin_overview',
					'type'    => 'object',
				),
			)
		);
	}
}

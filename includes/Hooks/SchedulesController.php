<?php
/**
 * GET /syncline/v1/admin/schedules: the WP-Cron jobs for the admin Overview.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

use Syncline\Rest\RestController;
use WP_REST_Server;

/**
 * Last run (time, duration, outcome), next run and the missed-run warning of each job (ScheduleReport);
 * manage_woocommerce only.
 */
class SchedulesController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param ScheduleReport $report The jobs' report.
	 */
	public function __construct( private ScheduleReport $report ) {
	}

	/** Adds the route. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/schedules',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => fn () => $this->run( fn () => $this->report->rows( time() ) ),
				'permission_callback' => fn () => $this->can_manage(),
			)
		);
	}
}

<?php
/**
 * Registers the admin screen's own REST routes.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin;

use Syncline\Admin\Rest\AdminController;
use Syncline\Infrastructure\Registerable;

/**
 * Calls register_routes() on each admin controller when the REST server starts.
 */
final class AdminRoutes implements Registerable {

	/**
	 * Builds the registrar.
	 *
	 * @param array<int, AdminController> $controllers The controllers.
	 */
	public function __construct( private array $controllers ) {
	}

	/** Hooks: rest_api_init. */
	public function register(): void {
		// Registers syncline/v1/admin/{overview,exceptions,events/{id},orders/{id}/trace,settings,settings/test-connection,mappings/sku/*,mappings/{type},mappings/{type}/{wc_key},mappings/history}.
		add_action(
			'rest_api_init',
			function (): void {
				foreach ( $this->controllers as $controller ) {
					$controller->register_routes();
				}
			}
		);
	}
}

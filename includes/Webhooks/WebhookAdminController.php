<?php
/**
 * The Settings button: the Dolibarr webhook target to create.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Webhooks;

use Syncline\Rest\RestController;
use WP_REST_Server;

/**
 * POST /syncline/v1/admin/webhooks/setup (manage_woocommerce): creates the secret when missing and answers the
 * target URL, the trigger codes and when the last webhook arrived (Dolibarr 20 has no API to create targets).
 */
class WebhookAdminController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param WebhookTarget $target Target.
	 * @param WebhookEvents $events Last received.
	 */
	public function __construct( private WebhookTarget $target, private WebhookEvents $events ) {
	}

	/** Adds the route. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/webhooks/setup',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn () => $this->run( fn () => $this->setup() ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * The target to create in Dolibarr.
	 *
	 * @return array{url: string, trigger_codes: string, last_received: int}
	 */
	private function setup(): array {
		$this->target->ensure_secret();
		return array(
			'url'           => $this->target->url(),
			'trigger_codes' => implode( ',', WebhookTarget::TRIGGERS ),
			'last_received' => $this->events->last_received(),
		);
	}
}

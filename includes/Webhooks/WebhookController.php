<?php
/**
 * The route Dolibarr's Webhook module POSTs to.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Webhooks;

use Syncline\Rest\RestController;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * POST /syncline/v1/webhooks/dolibarr/{secret}. Dolibarr calls webhooks synchronously inside the transaction of
 * the change, and a failed call (a non-2xx answer) makes Dolibarr roll that change back: so this route answers 2xx
 * to every well-addressed call, fast (two or three queries), and refuses only a wrong secret (404, like a missing
 * route). A body it cannot use is answered `accepted: 0` with the reason and changes nothing.
 */
class WebhookController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param WebhookTarget $target The target (secret).
	 * @param WebhookEvents $events Records events.
	 */
	public function __construct( private WebhookTarget $target, private WebhookEvents $events ) {
	}

	/** Adds the route (public: the secret in the URL is the authentication). */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			WebhookTarget::ROUTE . '/(?P<secret>[A-Za-z0-9]{16,64})',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn ( WP_REST_Request $request ) => $this->run( fn () => $this->receive( $request ) ),
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * Handles one webhook.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function receive( WP_REST_Request $request ): WP_REST_Response {
		if ( ! $this->target->matches( (string) $request->get_param( 'secret' ) ) ) {
			return new WP_REST_Response(
				array(
					'code'    => 'rest_no_route',
					'message' => __( 'No route was found matching the URL and request method.', 'syncline' ),
				),
				404
			);
		}
		if ( ! $this->events->allow() ) {
			return new WP_REST_Response( self::answer( 0, 'rate_limited' ), 200 );
		}
		$body    = json_decode( $request->get_body(), true );
		$trigger = is_array( $body ) && is_string( $body['triggercode'] ?? null ) ? $body['triggercode'] : '';
		$object  = is_array( $body ) && is_array( $body['object'] ?? null ) ? $body['object'] : null;
		if ( null === $object || 1 !== preg_match( '/^[A-Z][A-Z0-9_]{0,63}$/', $trigger ) ) {
			return new WP_REST_Response( self::answer( 0, 'not_a_dolibarr_webhook' ), 200 );
		}
		$ids = WebhookEvents::product_ids( $trigger, $object );
		if ( array() === $ids ) {
			return new WP_REST_Response( self::answer( 0, in_array( $trigger, WebhookTarget::TRIGGERS, true ) ? 'no_product' : 'trigger_not_used' ), 200 );
		}
		return new WP_REST_Response( self::answer( $this->events->record( $ids, WebhookEvents::topic_of( $trigger ) ), '' ) + array( 'trigger' => $trigger ), 200 );
	}

	/**
	 * The answer body.
	 *
	 * @param int    $accepted Products recorded.
	 * @param string $ignored  Why nothing was recorded ('' when something was).
	 * @return array<string, mixed>
	 */
	private static function answer( int $accepted, string $ignored ): array {
		return '' === $ignored ? array( 'accepted' => $accepted ) : array(
			'accepted' => $accepted,
			'ignored'  => $ignored,
		);
	}
}

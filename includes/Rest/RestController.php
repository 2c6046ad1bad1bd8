<?php
/**
 * Base of Syncline's REST controllers: one error funnel.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Infrastructure\Registerable;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * The one base of every Syncline REST controller (sidecar, admin, modules): routes are registered by the
 * controller itself on rest_api_init (it is Registerable, the root calls register() once), and run their work
 * through run(), the one error funnel. Admin routes use can_manage() as their permission callback.
 */
abstract class RestController implements Registerable {

	public const NAMESPACE = 'syncline/v1';

	/** Route flag of HMAC-signed sidecar routes (SidecarController lets their signature be checked before the JSON). */
	public const SIGNED = 'syncline_signed';

	/**
	 * Registers the routes on rest_api_init.
	 */
	public function register(): void {
		add_action( 'rest_api_init', fn () => $this->register_routes() );
	}

	/**
	 * Calls register_rest_route() for this controller's routes.
	 */
	abstract protected function register_routes(): void;

	/**
	 * Registers signed sidecar routes: POST, authenticated by the HMAC signature, which the callback checks before
	 * anything else; each handler gets the verified, decoded body.
	 *
	 * @param array<string, callable(array<mixed>): mixed> $routes   Route → handler.
	 * @param SignatureVerifier                            $verifier HMAC check and replay guard.
	 */
	protected function register_signed_routes( array $routes, SignatureVerifier $verifier ): void {
		foreach ( $routes as $route => $handler ) {
			register_rest_route(
				self::NAMESPACE,
				$route,
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn ( WP_REST_Request $request ) => $this->run( fn () => $handler( $verifier->verified_body( $request ) ) ),
					'permission_callback' => '__return_true',
					self::SIGNED          => true,
				)
			);
		}
	}

	/**
	 * Runs a route's work through the one error funnel (ErrorFunnel: exception class → status; details of an
	 * unexpected error only to users who may manage WooCommerce, never its text).
	 *
	 * @param callable(): (WP_REST_Response|array<mixed>) $work The route's work.
	 * @return WP_REST_Response|WP_Error
	 */
	protected function run( callable $work ) {
		try {
			$result = $work();
			return $result instanceof WP_REST_Response ? $result : new WP_REST_Response( $result, 200 );
		} catch ( \Throwable $e ) {
			return ErrorFunnel::error( $e, static::class );
		}
	}

	/**
	 * Reads an integer parameter (0 when absent or not a number).
	 *
	 * @param WP_REST_Request $request The request.
	 * @param string          $name    Parameter name.
	 */
	protected function int_param( WP_REST_Request $request, string $name ): int {
		$value = $request->get_param( $name );
		return is_numeric( $value ) ? (int) $value : 0;
	}

	/**
	 * Permission callback of admin routes: manage_woocommerce (cookie auth with the REST nonce).
	 *
	 * @return true|WP_Error
	 */
	public function can_manage() {
		return AdminPermission::check();
	}
}

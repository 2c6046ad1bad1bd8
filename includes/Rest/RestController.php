<?php
/**
 * Base of Syncline's REST controllers: one error funnel.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\AuthFailure;
use Syncline\Exception\Conflict;
use Syncline\Exception\InvalidRequest;
use Syncline\Exception\NotFound;
use Syncline\Infrastructure\Registerable;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Routes run their work through run(), which maps Syncline's exceptions to status codes; unexpected errors are
 * logged and their details are shown only to users who can manage WooCommerce.
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
	 * The error funnel.
	 *
	 * @param callable(): (WP_REST_Response|array<mixed>) $work The route's work.
	 * @return WP_REST_Response|WP_Error
	 */
	protected function run( callable $work ) {
		try {
			$result = $work();
			return $result instanceof WP_REST_Response ? $result : new WP_REST_Response( $result, 200 );
		} catch ( AuthFailure $e ) {
			return new WP_Error( $e->error_code, $e->getMessage(), array( 'status' => $e->status ) );
		} catch ( InvalidRequest $e ) {
			$data = array(
				'status' => 400,
				'errors' => $e->errors,
			);
			return new WP_Error( 'syncline_invalid_request', $e->getMessage(), $data );
		} catch ( NotFound $e ) {
			return new WP_Error( 'syncline_not_found', $e->getMessage(), array( 'status' => 404 ) );
		} catch ( Conflict $e ) {
			return new WP_Error( 'syncline_conflict', $e->getMessage(), array( 'status' => 409 ) );
		} catch ( \Throwable $e ) {
			return InternalError::response( $e, 'REST' );
		}
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

<?php
/**
 * Base of the admin screen's REST controllers: one permission check and one error funnel.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Rest;

use Syncline\Admin\Data\AdminNotFound;
use Syncline\Admin\Data\AdminInvalidInput;
use Syncline\Exception\Conflict;
use Syncline\Exception\InvalidRequest;
use Syncline\Exception\NotFound;
use Syncline\Rest\AdminPermission;
use Syncline\Rest\InternalError;
use Syncline\Rest\PaginationArgs;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Every route of the admin screen requires `manage_woocommerce`; the nonce comes from api-fetch's cookie auth.
 */
abstract class AdminController {

	public const NAMESPACE = 'syncline/v1';

	/** Registers this controller's routes; call from a `rest_api_init` callback. */
	abstract public function register_routes(): void;

	/**
	 * The permission callback of every admin route.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		return AdminPermission::check();
	}

	/**
	 * The error funnel: invalid input → 400 (with field errors), not found → 404, conflict → 409, anything else → logged 500.
	 *
	 * @param callable(): (WP_REST_Response|array<mixed>) $work The route's work.
	 * @return WP_REST_Response|WP_Error
	 */
	protected function run( callable $work ) {
		try {
			$result = $work();
			return $result instanceof WP_REST_Response ? $result : new WP_REST_Response( $result, 200 );
		} catch ( AdminInvalidInput $e ) {
			return new WP_Error(
				'syncline_invalid_request',
				$e->getMessage(),
				array(
					'status' => 400,
					'errors' => $e->fields,
				)
			);
		} catch ( InvalidRequest $e ) {
			return new WP_Error(
				'syncline_invalid_request',
				$e->getMessage(),
				array(
					'status' => 400,
					'errors' => $e->errors,
				)
			);
		} catch ( Conflict $e ) {
			return new WP_Error( 'syncline_conflict', $e->getMessage(), array( 'status' => 409 ) );
		} catch ( AdminNotFound | NotFound $e ) {
			return new WP_Error( 'syncline_not_found', $e->getMessage(), array( 'status' => 404 ) );
		} catch ( \Throwable $e ) {
			return InternalError::response( $e, 'admin route' );
		}
	}

	/**
	 * Shared `page` / `per_page` argument schemas.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function pagination_args(): array {
		return PaginationArgs::schema();
	}

	/**
	 * A list response with WordPress's pagination headers.
	 *
	 * @param array<int, mixed> $items    The page.
	 * @param int               $total    All matching rows.
	 * @param int               $per_page Page size.
	 */
	protected function paged( array $items, int $total, int $per_page ): WP_REST_Response {
		$response = new WP_REST_Response( $items, 200 );
		$response->header( 'X-WP-Total', (string) $total );
		$response->header( 'X-WP-TotalPages', (string) max( 1, (int) ceil( $total / max( 1, $per_page ) ) ) );
		return $response;
	}

	/** A user's display label for audit lines. */
	protected function current_actor(): string {
		$user = wp_get_current_user();
		return $user->exists() ? $user->user_login : 'system';
	}

	/**
	 * Reads an integer route parameter.
	 *
	 * @param WP_REST_Request $request The request.
	 * @param string          $name    Parameter name.
	 */
	protected function int_param( WP_REST_Request $request, string $name ): int {
		$value = $request->get_param( $name );
		return is_numeric( $value ) ? (int) $value : 0;
	}
}

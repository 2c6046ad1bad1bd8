<?php
/**
 * The one builder of paginated list responses.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use WP_REST_Response;

/**
 * A page of items with WordPress's pagination headers (X-WP-Total, X-WP-TotalPages; at least one page).
 */
final class PagedResponse {

	/**
	 * Builds the response.
	 *
	 * @param array<int, mixed> $items    The page.
	 * @param int               $total    All matching rows.
	 * @param int               $per_page Page size.
	 */
	public static function of( array $items, int $total, int $per_page ): WP_REST_Response {
		$response = new WP_REST_Response( $items, 200 );
		$response->header( 'X-WP-Total', (string) $total );
		$response->header( 'X-WP-TotalPages', (string) max( 1, (int) ceil( $total / max( 1, $per_page ) ) ) );
		return $response;
	}
}

<?php
/**
 * The `page` / `per_page` argument schemas of paginated routes.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

/**
 * One definition of pagination arguments for every list route.
 */
final class PaginationArgs {

	/**
	 * Argument schemas for register_rest_route().
	 *
	 * @param int $max     Largest page size.
	 * @param int $default Page size when none is asked for.
	 * @return array<string, array<string, mixed>>
	 */
	public static function schema( int $max = 100, int $default = 20 ): array {
		return array(
			'page'     => array(
				'type'    => 'integer',
				'minimum' => 1,
				'default' => 1,
			),
			'per_page' => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => $max,
				'default' => $default,
			),
		);
	}
}

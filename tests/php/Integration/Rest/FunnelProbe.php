<?php
/**
 * A controller without routes that exposes the funnel to tests.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Rest\RestController;

/**
 * RestController::run() for tests.
 */
final class FunnelProbe extends RestController {

	/** No routes. */
	protected function register_routes(): void {
	}

	/**
	 * The funnel.
	 *
	 * @param callable $work Work.
	 * @return mixed
	 */
	public function call( callable $work ) {
		return $this->run( $work );
	}
}

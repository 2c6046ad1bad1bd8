<?php
/**
 * Services that hook into WordPress.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * A service whose add_action/add_filter calls all sit in register(); the composition root calls it once.
 */
interface Registerable {

	/**
	 * Adds this service's hooks.
	 */
	public function register(): void;
}

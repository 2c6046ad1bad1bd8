<?php
/**
 * Base of the Settings route tests: a shop manager, no settings, a valid form to save on top of.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Infrastructure\Options;
use Syncline\Tests\Integration\Rest\RestTestCase;
use WP_REST_Response;

/**
 * Saves through real REST dispatch.
 */
abstract class SettingsTestCase extends RestTestCase {

	protected const ROUTE = '/syncline/v1/admin/settings';

	/** A shop manager; no settings. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'shop_manager' );
		wp_cache_flush(); // The previous test's rollback removed option rows the object cache still holds.
		delete_option( Options::SETTINGS );
		delete_option( Options::DELETE_DATA );
	}

	/**
	 * Saves settings.
	 *
	 * @param array<string, mixed> $fields Fields on top of a valid form.
	 */
	protected function save( array $fields ): WP_REST_Response {
		$body = $fields + array(
			'erp_type'     => 'dolibarr',
			'erp_url'      => 'https://erp.example.com/api/index.php',
			'warehouse_id' => 1,
		);
		return $this->dispatch( 'POST', self::ROUTE, (string) wp_json_encode( $body ) );
	}
}

<?php
/**
 * POST /syncline/v1/sidecar/connection: the ERP connection of the Settings screen, for the sidecar (signed).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Admin\Data\SettingsStore;
use Syncline\Exception\NotFound;

/**
 * The one source of truth for the ERP connection is the Settings option (`syncline_settings`). A sidecar whose
 * config file has no `erp` block asks for it here at start, authenticated by the site secret's HMAC signature
 * like every sidecar route; the answer carries the API key, so it is never cached and never logged.
 */
class ConnectionController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier HMAC check and replay guard.
	 * @param SettingsStore     $settings The Settings option.
	 */
	public function __construct( private SignatureVerifier $verifier, private SettingsStore $settings ) {
	}

	/** Adds the signed route. */
	protected function register_routes(): void {
		$this->register_signed_routes( array( '/sidecar/connection' => fn () => $this->connection() ), $this->verifier );
	}

	/**
	 * The ERP block of the sidecar's config.
	 *
	 * @return array{erp: array<string, mixed>}
	 * @throws NotFound When Settings have no ERP URL or no API key yet.
	 */
	private function connection(): array {
		$erp = $this->settings->erp_connection();
		if ( null === $erp || '' === $erp['api_key'] ) {
			throw new NotFound( __( 'No ERP connection is set: enter the ERP URL and API key under WooCommerce → Syncline → Settings.', 'syncline' ) );
		}
		nocache_headers();
		return array( 'erp' => $erp );
	}
}

<?php
/**
 * POST /syncline/v1/sidecar/connection: the ERP connection of the Settings screen, for the sidecar (signed).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Admin\Data\SettingsStore;

/**
 * The one source of truth for the ERP connection and the ATS rules is the Settings option (`syncline_settings`).
 * A sidecar whose config file lacks `erp.url` or `stock.rules` asks here at start, authenticated by the site
 * secret's HMAC signature like every sidecar route; the answer carries the API key, so it is never cached and
 * never logged.
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
	 * The sidecar's config blocks held by Settings: `erp` (null until an ERP URL and API key are set) and `stock`
	 * (the channel WooCommerce sells as, and the ATS rules, null until saved).
	 *
	 * @return array{erp: array<string, mixed>|null, stock: array{channel: string, rules: array<string, mixed>|null}}
	 */
	private function connection(): array {
		$erp = $this->settings->erp_connection();
		nocache_headers();
		return array(
			'erp'   => null === $erp || '' === $erp['api_key'] ? null : $erp,
			'stock' => $this->settings->stock_rules(),
		);
	}
}

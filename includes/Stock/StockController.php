<?php
/**
 * The sidecar's stock routes.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Rest\RestController;
use Syncline\Rest\SignatureVerifier;

/**
 * POST /syncline/v1/stock/apply, /stock/missing and /stock/pull-complete, HMAC-signed like /lease (signature first, then the body).
 */
class StockController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier HMAC check and replay guard.
	 * @param StockApplier      $applier  Applies readings.
	 * @param UnknownSkus       $unknown  Needs-human events for SKUs missing in the ERP.
	 * @param StoreProducts     $products Store products.
	 */
	public function __construct(
		private SignatureVerifier $verifier,
		private StockApplier $applier,
		private UnknownSkus $unknown,
		private StoreProducts $products
	) {
	}

	/**
	 * Adds the routes. The `syncline_signed` marker lets SidecarController's filter drop WordPress's own JSON
	 * error so that a bad signature is reported before bad JSON.
	 */
	protected function register_routes(): void {
		$routes = array(
			'/stock/apply'         => fn ( array $body ) => $this->applier->apply( StockRequests::apply( $body ) ),
			'/stock/missing'       => fn ( array $body ) => $this->unknown->record( StockRequests::missing( $body ), $this->products ),
			'/stock/pull-complete' => fn ( array $body ) => $this->unknown->after_full_pull( StockRequests::pull_complete( $body ), $this->products ),
		);
		$this->register_signed_routes( $routes, $this->verifier );
	}

}

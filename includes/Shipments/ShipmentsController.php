<?php
/**
 * The sidecar's shipments route.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Shipments;

use Syncline\Rest\RestController;
use Syncline\Rest\SignatureVerifier;

/**
 * POST /syncline/v1/shipments/apply, HMAC-signed like /lease (signature first, then the body).
 */
class ShipmentsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier HMAC check and replay guard.
	 * @param ShipmentApplier   $applier  Applies shipments.
	 */
	public function __construct( private SignatureVerifier $verifier, private ShipmentApplier $applier ) {
	}

	/**
	 * Adds the route.
	 */
	protected function register_routes(): void {
		$this->register_signed_routes(
			array( '/shipments/apply' => fn ( array $body ) => $this->applier->apply( ShipmentRequests::apply( $body ) ) ),
			$this->verifier
		);
	}
}

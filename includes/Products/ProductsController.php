<?php
/**
 * The sidecar's master data routes.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

use Syncline\Rest\RestController;
use Syncline\Rest\SignatureVerifier;

/**
 * POST /syncline/v1/products/context, /products/apply and /products/request, HMAC-signed like /lease.
 */
class ProductsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier HMAC check and replay guard.
	 * @param ProductsContext   $context  Mapping context.
	 * @param ProductsApplier   $applier  Writes products.
	 * @param SyncRequests      $requests Sync requests.
	 */
	public function __construct(
		private SignatureVerifier $verifier,
		private ProductsContext $context,
		private ProductsApplier $applier,
		private SyncRequests $requests
	) {
	}

	/** Adds the routes. */
	protected function register_routes(): void {
		$this->register_signed_routes(
			array(
				'/products/context' => fn ( array $body ) => $this->context->get(),
				'/products/apply'   => fn ( array $body ) => $this->applier->apply( ProductsRequests::apply( $body ) ),
				'/products/request' => fn ( array $body ) => $this->requests->get( ProductsRequests::request_id( $body ) ),
			),
			$this->verifier
		);
	}
}

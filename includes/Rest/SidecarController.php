<?php
/**
 * The sidecar's routes: lease, ack, heartbeat.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Outbox\Acks;
use Syncline\Outbox\Leases;

/**
 * POST /syncline/v1/{lease,events/renew,ack,heartbeat}, authenticated by HMAC signature (see docs/ARCHITECTURE.md).
 * The signature is checked before the body is even decoded, so an unsigned request gets 401, never 400.
 */
class SidecarController extends RestController {

	/**
	 * Marker on our route handlers (see register()).
	 */

	/**
	 * Builds the controller.
	 *
	 * @param SignatureVerifier $verifier   HMAC check and replay guard.
	 * @param Leases            $leases     Leasing.
	 * @param Acks              $acks       Acknowledgements.
	 * @param Heartbeats        $heartbeats Heartbeat store.
	 * @param Clock             $clock      Time.
	 */
	public function __construct(
		private SignatureVerifier $verifier,
		private Leases $leases,
		private Acks $acks,
		private Heartbeats $heartbeats,
		private Clock $clock
	) {
	}

	/**
	 * Adds the routes, and lets the signature be checked before WordPress's own JSON check.
	 */
	public function register(): void {
		parent::register();
		// WordPress answers rest_invalid_json (400) before any callback when a JSON body does not parse; for
		// signed routes the contract wants 401 for bad signatures first and syncline_invalid_request after.
		add_filter( 'rest_request_before_callbacks', fn ( $response, $handler ) => $this->let_signature_go_first( $response, $handler ), 10, 2 );
	}

	/**
	 * Adds the routes.
	 */
	protected function register_routes(): void {
		$routes = array(
			'/lease'        => fn ( array $body ) => $this->lease( $body ),
			'/events/renew' => fn ( array $body ) => $this->renew( $body ),
			'/ack'          => fn ( array $body ) => $this->ack( $body ),
			'/heartbeat'    => fn ( array $body ) => $this->heartbeat( $body ),
		);
		$this->register_signed_routes( $routes, $this->verifier );
	}

	/**
	 * Drops WordPress's rest_invalid_json error on our routes; SignatureVerifier::verified_body() reports bad JSON after the
	 * signature check.
	 *
	 * @param mixed        $response Response so far.
	 * @param array<mixed> $handler  Matched handler.
	 * @return mixed
	 */
	private function let_signature_go_first( $response, $handler ) {
		if ( ! empty( $handler[ self::SIGNED ] ) && is_wp_error( $response ) && 'rest_invalid_json' === $response->get_error_code() ) {
			return null;
		}
		return $response;
	}


	/**
	 * POST /lease.
	 *
	 * @param array<mixed> $body Decoded body.
	 * @return array<string, mixed>
	 */
	private function lease( array $body ): array {
		$args = SidecarRequests::lease( $body );
		// Acks carried on the lease (validated with the rest before anything is applied) go first, so the lease can
		// already claim what they free (an order's next event).
		$acks   = LeaseAcks::from_body( $body, $args['worker'] )->apply( $this->acks );
		$events = $this->leases->lease( $args['worker'], $args['limit'], $args['lease_seconds'], $args['wait_seconds'], $args['exclude'] );
		$out    = array(
			'events'      => $events,
			'server_time' => $this->clock->now(),
		);
		if ( null !== $acks ) {
			$out['acks'] = $acks;
		}
		return $out;
	}

	/**
	 * POST /events/renew: extends the leases the worker still holds with these tokens.
	 *
	 * @param array<mixed> $body Decoded body.
	 * @return array<string, mixed>
	 */
	private function renew( array $body ): array {
		$args = SidecarRequests::renew( $body );
		return $this->leases->renew( $args['worker'], $args['leases'], $args['lease_seconds'] )
			+ array( 'server_time' => $this->clock->now() );
	}

	/**
	 * POST /ack.
	 *
	 * @param array<mixed> $body Decoded body.
	 * @return array<string, mixed>
	 */
	private function ack( array $body ): array {
		$args = SidecarRequests::ack( $body );
		return array( 'results' => $this->acks->apply( $args['results'] ) );
	}

	/**
	 * POST /heartbeat.
	 *
	 * @param array<mixed> $body Decoded body.
	 * @return array<string, mixed>
	 */
	private function heartbeat( array $body ): array {
		$this->heartbeats->record( SidecarRequests::heartbeat( $body ) );
		return array(
			'ok'          => true,
			'server_time' => $this->clock->now(),
		);
	}
}

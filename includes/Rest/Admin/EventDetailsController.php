<?php
/**
 * GET /syncline/v1/admin/events/{id} and GET /syncline/v1/admin/orders/{id}/trace.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\EventDetailsQuery;
use Syncline\Admin\Data\EventRows;
use Syncline\Admin\Data\OrderLookup;
use Syncline\Infrastructure\Clock;
use Syncline\Rest\RestController;
use WP_REST_Request;
use WP_REST_Server;


/**
 * One event with its history; the timeline of one order with its ERP documents.
 */
final class EventDetailsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param EventDetailsQuery $events Event reads.
	 * @param OrderLookup       $orders Order display fields.
	 * @param Clock             $clock  Time.
	 */
	public function __construct( private EventDetailsQuery $events, private OrderLookup $orders, private Clock $clock ) {
	}

	/** Registers the two read routes. */
	protected function register_routes(): void {
		$id_arg = array(
			'id' => array(
				'type'     => 'integer',
				'minimum'  => 1,
				'required' => true,
			),
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/events/(?P<id>\d+)',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run(
						fn() => $this->events->event( $this->int_param( $r, 'id' ), $this->clock->now(), fn( int $order_id ) => $this->orders->summary( $order_id ) )
					),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => $id_arg,
				),
				'schema' => static fn() => array(
					'$schema' => 'http://json-schema.org/draft-04/schema#',
					'title'   => 'syncline_admin_event',
					'type'    => 'object',
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/orders/(?P<id>\d+)/trace',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->trace( $this->int_param( $r, 'id' ) ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => $id_arg,
				),
				'schema' => static fn() => array(
					'$schema' => 'http://json-schema.org/draft-04/schema#',
					'title'   => 'syncline_admin_order_trace',
					'type'    => 'object',
				),
			)
		);
	}

	/**
	 * The trace of one order: events oldest first; ERP documents of the latest done event.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, mixed>
	 */
	private function trace( int $order_id ): array {
		$events    = $this->events->order_events( $order_id, $this->clock->now() );
		$documents = array();
		foreach ( $events as $event ) {
			if ( array() !== $event['documents'] ) {
				$documents = $event['documents'];
			}
		}
		$stored = $this->orders->erp_refs( $order_id );
		if ( array() === $documents && null !== $stored ) {
			$documents = EventRows::documents( $stored );
		}
		return array(
			'order_id'       => $order_id,
			'correlation_id' => array() === $events ? null : $events[0]['correlation_id'],
			'order_edit_url' => $this->orders->edit_url( $order_id ),
			'erp_refs'       => array( 'documents' => $documents ),
			'events'         => $events,
		);
	}
}

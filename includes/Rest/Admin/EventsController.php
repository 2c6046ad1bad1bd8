<?php
/**
 * Admin routes over the outbox: list, retry, discard.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxQueries;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;


/**
 * GET /admin/events, POST /admin/events/{id}/retry, POST /admin/events/{id}/discard (manage_woocommerce).
 */
class EventsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param OutboxQueries $queries Outbox reads and manual actions.
	 */
	public function __construct( private OutboxQueries $queries ) {
	}

	/**
	 * Adds the routes.
	 */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/events',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->list( $r ) ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => $this->list_args(),
				'schema'              => fn () => $this->event_schema(),
			)
		);
		$id = array( 'id' => array( 'type' => 'integer' ) );
		register_rest_route(
			self::NAMESPACE,
			'/admin/events/(?P<id>\d+)/retry',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->retry( (int) $r['id'] ) ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => $id,
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/events/(?P<id>\d+)/discard',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn ( WP_REST_Request $r ) => $this->run( fn () => $this->discard( (int) $r['id'], (string) $r['reason'] ) ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => $id + array(
					'reason' => array(
						'type'      => 'string',
						'required'  => true,
						'minLength' => 1,
						'maxLength' => 500,
					),
				),
			)
		);
	}

	/**
	 * Query arguments of GET /admin/events.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function list_args(): array {
		return array(
			'state' => array(
				'type' => 'string',
				'enum' => EventState::ALL,
			),
		) + PaginationArgs::schema() + SortArgs::schema( SortArgs::EVENTS );
	}

	/**
	 * One page of events with WordPress's pagination headers.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function list( WP_REST_Request $request ): WP_REST_Response {
		$per_page = $this->int_param( $request, 'per_page' );
		$state    = $request['state'] ? (string) $request['state'] : null;
		$page     = $this->queries->page( $state, $this->int_param( $request, 'page' ), $per_page, SortArgs::order( $request, SortArgs::EVENTS ) );
		return PagedResponse::of( array_map( array( self::class, 'shape' ), $page['rows'] ), $page['total'], $per_page );
	}

	/**
	 * Puts an exception back in the queue.
	 *
	 * @param int $id Event id.
	 * @return array<string, mixed>
	 */
	private function retry( int $id ): array {
		$this->queries->retry( $id );
		return self::shape( $this->queries->get( $id ) );
	}

	/**
	 * Discards an exception, keeping the reason.
	 *
	 * @param int    $id     Event id.
	 * @param string $reason Why.
	 * @return array<string, mixed>
	 */
	private function discard( int $id, string $reason ): array {
		$this->queries->discard( $id, sanitize_text_field( $reason ) );
		return self::shape( $this->queries->get( $id ) );
	}

	/**
	 * An event row for the admin screen (numbers as numbers, JSON decoded; no lease token).
	 *
	 * @param array<string, mixed> $row Event row.
	 * @return array<string, mixed>
	 */
	public static function shape( array $row ): array {
		$out = array();
		foreach ( array( 'id', 'object_id', 'attempts', 'available_at', 'leased_until', 'created_at', 'updated_at' ) as $key ) {
			$out[ $key ] = null === $row[ $key ] ? null : (int) $row[ $key ];
		}
		foreach ( array( 'topic', 'object_type', 'correlation_id', 'state', 'lease_owner', 'last_error_code', 'last_error_message' ) as $key ) {
			$out[ $key ] = $row[ $key ];
		}
		$out['last_error_details'] = null === $row['last_error_details'] ? null : json_decode( (string) $row['last_error_details'], true );
		$out['result']             = null === $row['result'] ? null : json_decode( (string) $row['result'], true );
		return $out;
	}

	/**
	 * The item schema of GET /admin/events.
	 *
	 * @return array<string, mixed>
	 */
	private function event_schema(): array {
		$props = array();
		foreach ( array( 'id', 'object_id', 'attempts', 'available_at', 'created_at', 'updated_at' ) as $key ) {
			$props[ $key ] = array( 'type' => 'integer' );
		}
		foreach ( array( 'topic', 'object_type', 'correlation_id', 'state' ) as $key ) {
			$props[ $key ] = array( 'type' => 'string' );
		}
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'syncline_event',
			'type'       => 'object',
			'properties' => $props,
		);
	}
}

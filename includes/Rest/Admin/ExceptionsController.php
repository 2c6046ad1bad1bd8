<?php
/**
 * GET /syncline/v1/admin/exceptions and POST /syncline/v1/admin/exceptions/retry-by-code.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\ExceptionGroup;
use Syncline\Admin\Data\ExceptionQuery;
use Syncline\Infrastructure\Clock;
use Syncline\Outbox\OutboxQueries;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
use Syncline\Rest\SortArgs;
use WP_REST_Request;
use WP_REST_Server;


/**
 * The searchable, filterable exception queue and its bulk retry by reason code.
 */
final class ExceptionsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param ExceptionQuery $query   Reads.
	 * @param OutboxQueries  $outbox  The core's queue operations (retry_by_code).
	 * @param Clock          $clock   Time.
	 */
	public function __construct( private ExceptionQuery $query, private OutboxQueries $outbox, private Clock $clock ) {
	}

	/** Registers the list and the bulk retry. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/exceptions',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->list( $r ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array_merge(
						PaginationArgs::schema(),
						SortArgs::schema( SortArgs::EXCEPTIONS ),
						array(
							'search'        => array(
								'type'        => 'string',
								'maxLength'   => 200,
								'default'     => '',
								'description' => __( 'Order number, SKU or correlation id.', 'syncline' ),
							),
							'code'          => array(
								'type'      => 'string',
								'maxLength' => 64,
								'pattern'   => '^[a-z0-9_.-]*$',
								'default'   => '',
							),
							'min_age_hours' => array(
								'type'    => 'integer',
								'minimum' => 0,
								'maximum' => 24 * 365,
								'default' => 0,
							),
						)
					),
				),
				'schema' => fn() => $this->item_schema(),
			)
		);
		$this->register_row_actions();
		register_rest_route(
			self::NAMESPACE,
			'/admin/exceptions/retry-by-code',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run(
						function () use ( $r ) {
							$ids = $this->outbox->retry_by_code( (string) $r->get_param( 'code' ) );
							return array(
								'retried' => count( $ids ),
								'ids'     => $ids,
							);
						}
					),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array(
						'code' => array(
							'type'      => 'string',
							'required'  => true,
							'minLength' => 1,
							'maxLength' => 64,
							'pattern'   => '^[a-z0-9_.-]+$',
						),
					),
				),
			)
		);
	}

	/**
	 * POST /admin/exceptions/retry {groups} and /admin/exceptions/discard {groups, reason}: act on every event of
	 * each row (one row = one object and reason).
	 */
	private function register_row_actions(): void {
		$groups = array(
			'type'     => 'array',
			'required' => true,
			'minItems' => 1,
			'maxItems' => 100,
			'items'    => array(
				'type'    => 'string',
				'pattern' => ExceptionGroup::PATTERN,
			),
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/exceptions/retry',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn( WP_REST_Request $r ) => $this->run(
					function () use ( $r ) {
						$ids = $this->outbox->retry_many( $this->event_ids( $r ) );
						return array(
							'retried' => count( $ids ),
							'ids'     => $ids,
						);
					}
				),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array( 'groups' => $groups ),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/admin/exceptions/discard',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn( WP_REST_Request $r ) => $this->run(
					function () use ( $r ) {
						$ids = $this->outbox->discard_many( $this->event_ids( $r ), sanitize_text_field( (string) $r->get_param( 'reason' ) ) );
						return array(
							'discarded' => count( $ids ),
							'ids'       => $ids,
						);
					}
				),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array(
					'groups' => $groups,
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
	 * The exception events behind the rows a request names, oldest first.
	 *
	 * @param WP_REST_Request $r The request.
	 * @return array<int, int>
	 */
	private function event_ids( WP_REST_Request $r ): array {
		$keys   = array_map( static fn( $key ): ExceptionGroup => ExceptionGroup::parse( (string) $key ), (array) $r->get_param( 'groups' ) );
		$events = $this->query->events_of( $keys );
		$ids    = array();
		foreach ( $events as $rows ) {
			foreach ( $rows as $row ) {
				$ids[] = (int) $row['id'];
			}
		}
		sort( $ids );
		return $ids;
	}

	/**
	 * One page with pagination headers.
	 *
	 * @param WP_REST_Request $r The request.
	 * @return \WP_REST_Response
	 */
	private function list( WP_REST_Request $r ) {
		$per_page = $this->int_param( $r, 'per_page' );
		$order    = SortArgs::order( $r, SortArgs::EXCEPTIONS );
		$result   = $this->query->page(
			(string) $r->get_param( 'search' ),
			(string) $r->get_param( 'code' ),
			$this->int_param( $r, 'min_age_hours' ),
			max( 1, $this->int_param( $r, 'page' ) ),
			$per_page,
			$this->clock->now(),
			$order
		);
		return PagedResponse::of( $result['items'], $result['total'], $per_page );
	}

	/**
	 * Schema of one listed exception.
	 *
	 * @return array<string, mixed>
	 */
	private function item_schema(): array {
		$int = array( 'type' => 'integer' );
		$str = array( 'type' => 'string' );
		return array(
			'$schema'     => 'http://json-schema.org/draft-04/schema#',
			'title'       => 'syncline_exception',
			'description' => 'One row per object and reason code; the old fields are its oldest event\'s.',
			'type'        => 'object',
			'properties'  => array(
				'id'                 => $int,
				'topic'              => $str,
				'state'              => $str,
				'object_type'        => $str,
				'object_id'          => $int,
				'correlation_id'     => $str,
				'attempts'           => $int,
				'last_error_code'    => array( 'type' => array( 'string', 'null' ) ),
				'last_error_message' => array( 'type' => array( 'string', 'null' ) ),
				'created_at'         => $int,
				'updated_at'         => $int,
				'age_seconds'        => $int,
				'group_key'          => $str,
				'event_count'        => $int,
				'event_ids'          => array(
					'type'  => 'array',
					'items' => $int,
				),
				'events'             => array(
					'type'  => 'array',
					'items' => array( 'type' => 'object' ),
				),
			),
		);
	}
}

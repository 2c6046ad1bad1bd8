<?php
/**
 * GET /syncline/v1/admin/exceptions and POST /syncline/v1/admin/exceptions/retry-by-code.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\ExceptionQuery;
use Syncline\Infrastructure\Clock;
use Syncline\Outbox\OutboxQueries;
use Syncline\Rest\PagedResponse;
use Syncline\Rest\PaginationArgs;
use Syncline\Rest\RestController;
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
	 * One page with pagination headers.
	 *
	 * @param WP_REST_Request $r The request.
	 * @return \WP_REST_Response
	 */
	private function list( WP_REST_Request $r ) {
		$per_page = $this->int_param( $r, 'per_page' );
		$result   = $this->query->page(
			(string) $r->get_param( 'search' ),
			(string) $r->get_param( 'code' ),
			$this->int_param( $r, 'min_age_hours' ),
			max( 1, $this->int_param( $r, 'page' ) ),
			$per_page,
			$this->clock->now()
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
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'syncline_exception',
			'type'       => 'object',
			'properties' => array(
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
			),
		);
	}
}

<?php
/**
 * The `orderby` / `order` arguments of the admin lists: which fields each list sorts by, and the SQL behind them.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\InvalidRequest;
use Syncline\Infrastructure\SqlPage;
use WP_REST_Request;

/**
 * One place for every list's sorting: the allowed `orderby` values per list (named like the admin screen's fields)
 * → SQL expressions, the default, and the unique tie-breaker. A value outside the list is a 400 with a field error
 * through the error funnel (InvalidRequest), before anything is read. The SQL comes from these constants only.
 */
final class SortArgs {

	public const EXCEPTIONS      = 'exceptions';
	public const EVENTS          = 'events';
	public const SKU_MAP         = 'sku_map';
	public const HISTORY         = 'history';
	public const RECONCILE_RUNS  = 'reconcile_runs';
	public const RECONCILE_ITEMS = 'reconcile_items';

	/**
	 * Per list: `fields` (orderby value → SQL expressions; a leading `-` reverses that expression, e.g. age is the
	 * oldest event's creation time backwards), `default` (orderby, order) and `tie` (unique, last in every ORDER BY).
	 * Exception rows are groups (object and reason): their expressions are aggregates or grouped columns, `newest`
	 * the group's newest event id.
	 */
	private const LISTS = array(
		self::EXCEPTIONS      => array(
			'fields'  => array(
				'newest'   => array( 'newest' ),
				'object'   => array( 'object_type', 'object_id' ),
				'reason'   => array( 'code' ),
				'attempts' => array( 'MAX(attempts)' ),
				'events'   => array( 'COUNT(*)' ),
				'age'      => array( '-MIN(created_at)' ),
			),
			'default' => array( 'newest', 'desc' ),
			'tie'     => 'newest',
		),
		self::EVENTS          => array(
			'fields'  => array(
				'id'      => array( 'id' ),
				'updated' => array( 'updated_at' ),
			),
			'default' => array( 'id', 'desc' ),
			'tie'     => 'id',
		),
		self::SKU_MAP         => array(
			'fields'  => array(
				'wc_sku'  => array( 'wc_sku' ),
				'erp_ref' => array( 'erp_ref' ),
				'changed' => array( 'updated_at' ),
			),
			'default' => array( 'wc_sku', 'asc' ),
			'tie'     => 'wc_sku',
		),
		self::HISTORY         => array(
			'fields'  => array(
				'id' => array( 'id' ),
				'at' => array( 'at' ),
			),
			'default' => array( 'id', 'desc' ),
			'tie'     => 'id',
		),
		self::RECONCILE_RUNS  => array(
			'fields'  => array(
				'id'       => array( 'id' ),
				'found'    => array( 'found' ),
				'finished' => array( 'finished_at' ),
			),
			'default' => array( 'id', 'desc' ),
			'tie'     => 'id',
		),
		self::RECONCILE_ITEMS => array(
			'fields'  => array(
				'id'     => array( 'id' ),
				'class'  => array( 'class' ),
				'object' => array( 'object_type', 'object_key' ),
				'state'  => array( 'state' ),
			),
			'default' => array( 'id', 'asc' ),
			'tie'     => 'id',
		),
	);

	/**
	 * Argument schemas for register_rest_route(). No `enum`: WordPress would answer a bad value itself, outside the
	 * error funnel; order() checks both.
	 *
	 * @param string $list One of the list constants.
	 * @return array<string, array<string, mixed>>
	 */
	public static function schema( string $list ): array {
		$spec = self::LISTS[ $list ];
		return array(
			'orderby' => array(
				'type'        => 'string',
				'maxLength'   => 32,
				'default'     => $spec['default'][0],
				/* translators: %s: comma-separated field names */
				'description' => sprintf( __( 'Sort by: %s.', 'syncline' ), implode( ', ', array_keys( $spec['fields'] ) ) ),
			),
			'order'   => array(
				'type'        => 'string',
				'maxLength'   => 4,
				'default'     => $spec['default'][1],
				'description' => __( 'asc or desc.', 'syncline' ),
			),
		);
	}

	/**
	 * The ORDER BY list a request asks for (the list's default when it asks for none).
	 *
	 * @param WP_REST_Request $request The request.
	 * @param string          $list    One of the list constants.
	 * @throws InvalidRequest When orderby or order is not one the list allows.
	 */
	public static function order( WP_REST_Request $request, string $list ): string {
		$spec    = self::LISTS[ $list ];
		$orderby = $request->get_param( 'orderby' );
		$order   = $request->get_param( 'order' );
		$orderby = is_string( $orderby ) && '' !== $orderby ? $orderby : $spec['default'][0];
		$order   = is_string( $order ) && '' !== $order ? strtolower( $order ) : $spec['default'][1];
		$errors  = array();
		if ( ! isset( $spec['fields'][ $orderby ] ) ) {
			/* translators: %s: comma-separated field names */
			$errors['orderby'] = sprintf( __( 'Sort by one of: %s.', 'syncline' ), implode( ', ', array_keys( $spec['fields'] ) ) );
		}
		if ( ! in_array( $order, array( 'asc', 'desc' ), true ) ) {
			$errors['order'] = __( 'Sort order is asc or desc.', 'syncline' );
		}
		if ( array() !== $errors ) {
			throw InvalidRequest::fields( $errors );
		}
		return self::sql( $list, $orderby, 'desc' === $order );
	}

	/**
	 * The ORDER BY list of one field of a list.
	 *
	 * @param string $list    One of the list constants.
	 * @param string $orderby One of its fields.
	 * @param bool   $desc    Descending.
	 */
	public static function sql( string $list, string $orderby, bool $desc ): string {
		$spec = self::LISTS[ $list ];
		return SqlPage::order( $spec['fields'][ $orderby ], $spec['tie'], $desc );
	}

	/**
	 * The default ORDER BY list of a list (callers outside a request: CLI, repair).
	 *
	 * @param string $list One of the list constants.
	 */
	public static function default( string $list ): string {
		$spec = self::LISTS[ $list ];
		return self::sql( $list, $spec['default'][0], 'desc' === $spec['default'][1] );
	}
}

<?php
/**
 * The key of one exception row: an object and a reason.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Exception\InvalidRequest;

/**
 * `object_type:object_id:code` (code '' when the events carry none). One order stopped by one unmapped SKU on
 * two topics is one group, so one row, one retry.
 */
final class ExceptionGroup {

	/** What a key looks like (also the REST argument's pattern). */
	public const PATTERN = '^[a-z_]{1,32}:[0-9]{1,20}:[a-z0-9_.-]{0,64}$';

	/**
	 * Builds the key.
	 *
	 * @param string $object_type Object type, e.g. order.
	 * @param int    $object_id   Object id.
	 * @param string $code        Reason code ('' for none).
	 */
	public function __construct( public readonly string $object_type, public readonly int $object_id, public readonly string $code ) {
	}

	/**
	 * Parses a key.
	 *
	 * @param string $key The key.
	 * @throws InvalidRequest When it is not a key.
	 */
	public static function parse( string $key ): self {
		if ( 1 !== preg_match( '/' . self::PATTERN . '/', $key ) ) {
			throw InvalidRequest::with( __( 'Not an exception row.', 'syncline' ), array( 'groups' => __( 'Expected object_type:object_id:code.', 'syncline' ) ) );
		}
		list( $type, $id, $code ) = explode( ':', $key, 3 );
		return new self( $type, (int) $id, $code );
	}

	/** The key. */
	public function key(): string {
		return $this->object_type . ':' . $this->object_id . ':' . $this->code;
	}
}

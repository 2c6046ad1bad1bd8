<?php
/**
 * The options of `wp syncline resync orders`, validated.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

/**
 * Pure: turns --ids, --since and --status into a selection, or says what is wrong.
 */
final class OrderSelection {

	/**
	 * Parses the options.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 * @param array<int, string>         $known Order statuses WooCommerce knows (without wc-).
	 * @return array{ids: array<int, int>, since: int|null, statuses: array<int, string>}|string The selection, or an error message.
	 */
	public static function parse( array $assoc, array $known ) {
		$ids   = array();
		$since = null;
		if ( isset( $assoc['ids'] ) ) {
			$raw = array_map( 'trim', explode( ',', (string) $assoc['ids'] ) );
			$bad = array_filter( $raw, static fn ( $id ) => 1 !== preg_match( '/^[1-9]\d{0,18}$/', $id ) );
			if ( true === $assoc['ids'] || array() !== $bad ) {
				/* translators: %s: the bad values. */
				return sprintf( __( '--ids takes comma-separated order ids (positive whole numbers); not: %s', 'syncline' ), implode( ', ', true === $assoc['ids'] ? array( '(empty)' ) : $bad ) );
			}
			$ids = array_values( array_unique( array_map( 'intval', $raw ) ) );
		}
		if ( isset( $assoc['since'] ) ) {
			$time = is_string( $assoc['since'] ) && '' !== trim( $assoc['since'] ) ? strtotime( $assoc['since'] ) : false;
			if ( false === $time ) {
				return __( '--since takes a date or time, e.g. 2026-11-01 or "2026-11-01 08:00 UTC".', 'syncline' );
			}
			if ( $time > time() ) {
				return __( '--since is in the future.', 'syncline' );
			}
			$since = $time;
		}
		if ( array() === $ids && null === $since ) {
			return __( 'Say which orders: --ids=1,2 and/or --since=<date> (with --status to narrow).', 'syncline' );
		}
		$statuses = array();
		if ( isset( $assoc['status'] ) ) {
			$statuses = array_values( array_unique( array_map( static fn ( $s ) => (string) preg_replace( '/^wc-/', '', strtolower( trim( $s ) ) ), explode( ',', (string) $assoc['status'] ) ) ) );
			$unknown  = array_diff( $statuses, $known );
			if ( true === $assoc['status'] || array() !== $unknown ) {
				/* translators: 1: unknown statuses, 2: known statuses. */
				return sprintf( __( 'Unknown order status: %1$s (known: %2$s).', 'syncline' ), implode( ', ', true === $assoc['status'] ? array( '(empty)' ) : $unknown ), implode( ', ', $known ) );
			}
		}
		return array(
			'ids'      => $ids,
			'since'    => $since,
			'statuses' => $statuses,
		);
	}
}

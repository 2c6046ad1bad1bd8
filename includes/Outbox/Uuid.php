<?php
/**
 * Name-based UUIDs (version 5).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

/**
 * RFC 4122 UUID v5: SHA-1 of a namespace UUID's bytes and a name.
 */
final class Uuid {

	/**
	 * The UUID v5 of a name in a namespace.
	 *
	 * @param string $namespace A UUID (with dashes).
	 * @param string $name      The name.
	 */
	public static function v5( string $namespace, string $name ): string {
		$ns_bytes = (string) hex2bin( str_replace( '-', '', $namespace ) );
		$hash     = sha1( $ns_bytes . $name );
		$time_hi  = ( hexdec( substr( $hash, 12, 4 ) ) & 0x0fff ) | 0x5000;
		$clock    = ( hexdec( substr( $hash, 16, 4 ) ) & 0x3fff ) | 0x8000;
		return sprintf(
			'%s-%s-%04x-%04x-%s',
			substr( $hash, 0, 8 ),
			substr( $hash, 8, 4 ),
			$time_hi,
			$clock,
			substr( $hash, 20, 12 )
		);
	}

	/**
	 * A namespace UUID derived from a secret (so correlation ids differ per site but are stable).
	 *
	 * @param string $secret The site secret.
	 */
	public static function namespace_from_secret( string $secret ): string {
		// The URL namespace of RFC 4122 names the derivation; the secret makes it site-specific.
		return self::v5( '6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'syncline:' . hash( 'sha256', $secret ) );
	}
}

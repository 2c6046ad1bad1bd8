<?php
/**
 * WordPress options, behind a thin proxy.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * The options Syncline reads and writes.
 */
class Options {

	public const SECRET         = 'syncline_secret';
	public const SCHEMA_VERSION = 'syncline_schema_version';
	public const HEARTBEATS     = 'syncline_heartbeats';
	public const SETTINGS       = 'syncline_settings';
	public const DELETE_DATA    = 'syncline_delete_data_on_uninstall';

	/**
	 * Reads an option.
	 *
	 * @param string $name    Option name.
	 * @param mixed  $default Value when missing.
	 * @return mixed
	 */
	public function get( string $name, $default = false ) {
		return get_option( $name, $default );
	}

	/**
	 * Writes an option.
	 *
	 * @param string $name     Option name.
	 * @param mixed  $value    Value.
	 * @param bool   $autoload Whether WordPress loads it on every request.
	 */
	public function set( string $name, $value, bool $autoload = false ): void {
		update_option( $name, $value, $autoload );
	}

	/**
	 * Adds an option only if it does not exist yet.
	 *
	 * @param string $name  Option name.
	 * @param mixed  $value Value.
	 */
	public function add( string $name, $value ): void {
		add_option( $name, $value, '', false );
	}

	/**
	 * The site secret shared with the sidecar (64 hex chars); created when missing.
	 */
	public function secret(): string {
		$secret = (string) $this->get( self::SECRET, '' );
		if ( 1 !== preg_match( '/^[0-9a-f]{64}$/', $secret ) ) {
			$secret = bin2hex( random_bytes( 32 ) );
			$this->set( self::SECRET, $secret, true );
		}
		return $secret;
	}
}

<?php
/**
 * Class loading for plugin.php and uninstall.php: Composer's autoloader when vendor/ is there, else a minimal
 * PSR-4 loader for Syncline\ → includes/ (the plugin zip ships without vendor/).
 *
 * @package Syncline
 */

defined( 'ABSPATH' ) || exit;

if ( is_readable( dirname( __DIR__ ) . '/vendor/autoload.php' ) ) {
	require_once dirname( __DIR__ ) . '/vendor/autoload.php';
} else {
	spl_autoload_register(
		static function ( string $class ) {
			if ( str_starts_with( $class, 'Syncline\\' ) ) {
				$file = __DIR__ . '/' . str_replace( '\\', '/', substr( $class, 9 ) ) . '.php';
				if ( is_readable( $file ) ) {
					require_once $file;
				}
			}
		}
	);
}

<?php
/**
 * Constants WordPress defines at runtime, for PHPStan only.
 *
 * @package Syncline
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- WordPress's own constants.

define( 'ABSPATH', '/tmp/wordpress/' );
define( 'ARRAY_A', 'ARRAY_A' );
define( 'DB_NAME', 'wordpress' );
define( 'WP_CLI', false );
define( 'WP_PLUGIN_DIR', '/tmp/wordpress/wp-content/plugins' );

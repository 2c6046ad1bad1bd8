<?php
/**
 * Loaded by scripts/env/wp-env.ts into every local `wp` run (`--require`). The registry copy here has only the
 * WP-CLI framework, not wp-cli/extension-command, and a real WooCommerce's CLI file
 * (includes/cli/class-wc-cli-com-extension-command.php) calls `exit` when `Plugin_Command` is missing, which
 * silently ends every `wp` command. An empty stand-in class keeps that file loadable; real installs have WP-CLI's
 * bundle and never load this.
 *
 * @package Syncline
 */

if ( ! class_exists( 'Plugin_Command' ) && class_exists( 'WP_CLI_Command' ) ) {
	/**
	 * Empty stand-in for wp-cli/extension-command's class (see the file comment).
	 */
	class Plugin_Command extends WP_CLI_Command {} // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedClassFound -- must carry WP-CLI's own name.
}

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

/*
 * `wp eval '<php>'`: wp-cli/eval-command is not in the registry copy here either; this is the same command for
 * the local site (the code runs after WordPress has loaded, as with WP-CLI's own).
 */
if ( class_exists( 'WP_CLI' ) && ! class_exists( 'Eval_Command' ) ) {
	WP_CLI::add_command(
		'eval',
		static function ( array $args ): void {
			eval( (string) ( $args[0] ?? '' ) ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- the point of `wp eval`.
		},
		array( 'when' => 'after_wp_load' )
	);
}

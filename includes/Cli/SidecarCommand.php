<?php
/**
 * `wp syncline sidecar config|start|stop|status`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Admin\Data\SettingsStore;
use Syncline\Infrastructure\Options;

/**
 * The sidecar's config, and a single-host process manager (log, pid and config in the StateDir: outside the web
 * root by default, or SYNCLINE_LOG_DIR).
 *
 * phpcs:disable WordPress.WP.AlternativeFunctions -- local files and processes of the CLI user, not WP_Filesystem.
 */
class SidecarCommand {

	/**
	 * Builds the command.
	 *
	 * @param string  $plugin_file Absolute path of plugin.php.
	 * @param Options $options     Options (secret, settings).
	 */
	public function __construct( private string $plugin_file, private Options $options ) {
	}

	/**
	 * Prints the sidecar's JSON config: the site URL and secret, plus the ERP block when it is configured.
	 *
	 * ## OPTIONS
	 *
	 * [--ref-prefix=<prefix>]
	 * : Prefix of the order reference (ref_client) in the ERP; default: the Settings value (WC-).
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline sidecar config > /etc/syncline/sidecar.json
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function config( array $args = array(), array $assoc = array() ): void {
		\WP_CLI::line( (string) wp_json_encode( $this->build_config( $this->ref_prefix( $assoc ) ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * Starts the sidecar in the background (node build/sidecar.cjs) with a config written with mode 0600.
	 *
	 * ## OPTIONS
	 *
	 * [--node=<path>]
	 * : The Node.js binary.
	 * ---
	 * default: node
	 * ---
	 *
	 * [--ref-prefix=<prefix>]
	 * : Prefix of the order reference (ref_client) in the ERP, e.g. SHOP2- when several shops share one ERP;
	 * default: the Settings value (WC-).
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function start( array $args, array $assoc ): void {
		if ( null !== $this->running_pid() ) {
			\WP_CLI::error( __( 'The sidecar is already running.', 'syncline' ) );
		}
		$bundle = dirname( $this->plugin_file ) . '/build/sidecar.cjs';
		if ( ! is_readable( $bundle ) ) {
			/* translators: %s: file path. */
			\WP_CLI::error( sprintf( __( 'No sidecar bundle at %s (run npm run build).', 'syncline' ), $bundle ) );
		}
		$config = $this->build_config( $this->ref_prefix( $assoc ) );
		if ( ! isset( $config['erp'] ) ) {
			\WP_CLI::error( __( 'No ERP connection is set: enter the ERP URL and key under WooCommerce → Syncline → Settings first (or run the sidecar with your own config file, see docs/OPERATIONS.md).', 'syncline' ) );
		}
		if ( '' === (string) ( $config['erp']['api_key'] ?? '' ) ) {
			\WP_CLI::error( __( 'No ERP API key is set (it is removed when the ERP URL changes): enter it under WooCommerce → Syncline → Settings.', 'syncline' ) );
		}
		$pid = $this->spawn( $config, (string) ( $assoc['node'] ?? 'node' ), $bundle );
		sleep( 1 );
		if ( ! posix_kill( $pid, 0 ) ) {
			/* translators: %s: log file. */
			\WP_CLI::error( sprintf( __( 'The sidecar exited at once; see %s.', 'syncline' ), $this->state_dir() . '/sidecar.log' ) );
		}
		/* translators: 1: process id, 2: log file. */
		\WP_CLI::success( sprintf( __( 'Sidecar started (pid %1$d, log %2$s).', 'syncline' ), $pid, $this->state_dir() . '/sidecar.log' ) );
	}

	/**
	 * Starts node detached. The config file holds no secret (it sits under uploads/): the site secret and the
	 * ERP key reach the process through its environment only (SYNCLINE_WP_SECRET, SYNCLINE_ERP_KEY).
	 *
	 * @param array<string, mixed> $config Sidecar config.
	 * @param string               $node   Node binary.
	 * @param string               $bundle build/sidecar.cjs.
	 * @return int The process id.
	 */
	private function spawn( array $config, string $node, string $bundle ): int {
		$dir = $this->state_dir();
		$env = array_merge(
			getenv(),
			array(
				'SYNCLINE_WP_SECRET' => (string) $config['wordpress']['secret'],
				'SYNCLINE_ERP_KEY'   => (string) $config['erp']['api_key'],
			)
		);
		unset( $config['wordpress']['secret'], $config['erp']['api_key'] );
		$file = $dir . '/sidecar.json';
		file_put_contents( $file, (string) wp_json_encode( $config, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		chmod( $file, 0600 );
		$command = sprintf( 'umask 077; nohup %s %s --config %s >> %s 2>&1 & echo $!', escapeshellarg( $node ), escapeshellarg( $bundle ), escapeshellarg( $file ), escapeshellarg( $dir . '/sidecar.log' ) );
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_proc_open -- starting a detached process is this command's job; proc_open keeps secrets out of the command line.
		$proc = proc_open( $command, array( 1 => array( 'pipe', 'w' ) ), $pipes, null, $env );
		$pid  = is_resource( $proc ) ? (int) trim( (string) stream_get_contents( $pipes[1] ) ) : 0;
		if ( is_resource( $proc ) ) {
			proc_close( $proc );
		}
		if ( $pid <= 0 ) {
			\WP_CLI::error( __( 'Could not start the sidecar.', 'syncline' ) );
		}
		file_put_contents( $dir . '/sidecar.pid', (string) $pid );
		return $pid;
	}

	/**
	 * Stops the sidecar (SIGTERM: it finishes and acknowledges in-flight work, then exits).
	 */
	public function stop(): void {
		$pid = $this->running_pid();
		if ( null === $pid ) {
			\WP_CLI::error( __( 'The sidecar is not running.', 'syncline' ) );
		}
		posix_kill( $pid, 15 );
		$waited = 0;
		while ( $waited < 100 && posix_kill( $pid, 0 ) ) {
			usleep( 100000 );
			++$waited;
		}
		wp_delete_file( $this->state_dir() . '/sidecar.pid' );
		/* translators: %d: process id. */
		\WP_CLI::success( sprintf( __( 'Sidecar %d stopped.', 'syncline' ), $pid ) );
	}

	/**
	 * Says whether the sidecar started by `start` is running; exits 1 when it is not.
	 */
	public function status(): void {
		$pid = $this->running_pid();
		if ( null === $pid ) {
			\WP_CLI::error( __( 'The sidecar is not running.', 'syncline' ) );
		}
		/* translators: %d: process id. */
		\WP_CLI::success( sprintf( __( 'The sidecar is running (pid %d).', 'syncline' ), $pid ) );
	}

	/**
	 * The --ref-prefix option, validated like the Settings field; null when not given.
	 *
	 * @param array<string, string> $assoc Options.
	 */
	private function ref_prefix( array $assoc ): ?string {
		if ( ! isset( $assoc['ref-prefix'] ) ) {
			return null;
		}
		$prefix = trim( (string) $assoc['ref-prefix'] );
		if ( 1 !== preg_match( SettingsStore::REF_PREFIX_PATTERN, $prefix ) ) {
			\WP_CLI::error( '--ref-prefix: ' . SettingsStore::ref_prefix_rule() );
		}
		return $prefix;
	}

	/**
	 * The config the sidecar reads.
	 *
	 * @param string|null $ref_prefix The order reference prefix (null: the Settings value).
	 * @return array<string, mixed>
	 */
	private function build_config( ?string $ref_prefix = null ): array {
		$config = array(
			'wordpress' => array(
				'url'    => home_url(),
				'secret' => $this->options->secret(),
			),
		);
		$erp    = ( new SettingsStore( $this->options ) )->erp_connection( $ref_prefix );
		if ( null !== $erp ) {
			$config['erp'] = $erp;
		}
		return $config;
	}

	/**
	 * The pid from the pid file when that process is alive.
	 */
	private function running_pid(): ?int {
		$file = $this->state_dir() . '/sidecar.pid';
		$pid  = is_readable( $file ) ? (int) file_get_contents( $file ) : 0;
		return $pid > 0 && function_exists( 'posix_kill' ) && posix_kill( $pid, 0 ) ? $pid : null;
	}

	/**
	 * The state directory (log, pid, config): see StateDir.
	 */
	private function state_dir(): string {
		try {
			return StateDir::for_site( $this->options->secret() )->path();
		} catch ( \RuntimeException $e ) {
			\WP_CLI::error( $e->getMessage() );
			return '';
		}
	}
}

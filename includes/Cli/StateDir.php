<?php
/**
 * Where the sidecar started by WP-CLI keeps its log, pid and config.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

/**
 * Outside the web root by default, since a web server may ignore .htaccess (nginx does):
 *  1. `SYNCLINE_LOG_DIR` (a constant in wp-config.php, or the environment variable), used as given;
 *  2. else `<parent of the WordPress directory>/syncline-<site key>`, when that parent is writable and does not
 *     look served itself (no index.php, .htaccess or web.config in it);
 *  3. else `uploads/syncline-<site key>/` with index.php, .htaccess and web.config denying access.
 * The site key is derived from the site secret, so the fallback's name cannot be guessed.
 *
 * phpcs:disable WordPress.WP.AlternativeFunctions -- local files of the CLI user, not WP_Filesystem.
 */
final class StateDir {

	/**
	 * Builds the resolver.
	 *
	 * @param string      $abspath    The WordPress directory (ABSPATH).
	 * @param string      $uploads    The uploads base directory.
	 * @param string      $secret     The site secret (names the directory).
	 * @param string|null $configured SYNCLINE_LOG_DIR, if set.
	 */
	public function __construct( private string $abspath, private string $uploads, private string $secret, private ?string $configured ) {
	}

	/**
	 * The resolver of this site.
	 *
	 * @param string $secret The site secret.
	 */
	public static function for_site( string $secret ): self {
		$configured = defined( 'SYNCLINE_LOG_DIR' ) ? (string) constant( 'SYNCLINE_LOG_DIR' ) : (string) getenv( 'SYNCLINE_LOG_DIR' );
		return new self( ABSPATH, (string) wp_upload_dir( null, false )['basedir'], $secret, '' === $configured ? null : $configured );
	}

	/**
	 * The directory, created if needed.
	 *
	 * @throws \RuntimeException When SYNCLINE_LOG_DIR is set but cannot be used, or no directory can be created.
	 */
	public function path(): string {
		if ( null !== $this->configured ) {
			$dir = rtrim( $this->configured, '/' );
			if ( ! $this->make( $dir ) ) {
				/* translators: %s: directory. */
				throw new \RuntimeException( esc_html( sprintf( __( 'SYNCLINE_LOG_DIR (%s) is not a writable directory.', 'syncline' ), $dir ) ) );
			}
			return $dir;
		}
		$parent = dirname( rtrim( $this->abspath, '/' ) );
		$beside = $parent . '/syncline-' . $this->key();
		if ( ! self::served( $parent ) && ( is_dir( $beside ) || is_writable( $parent ) ) && $this->make( $beside ) ) {
			return $beside;
		}
		$guarded = rtrim( $this->uploads, '/' ) . '/syncline-' . $this->key();
		if ( ! $this->make( $guarded ) ) {
			/* translators: %s: directory. */
			throw new \RuntimeException( esc_html( sprintf( __( 'Cannot create %s; set SYNCLINE_LOG_DIR to a writable directory outside the web root.', 'syncline' ), $guarded ) ) );
		}
		$this->guard( $guarded );
		return $guarded;
	}

	/**
	 * Whether a directory looks like one a web server serves.
	 *
	 * @param string $dir Directory.
	 */
	public static function served( string $dir ): bool {
		foreach ( array( 'index.php', 'index.html', '.htaccess', 'web.config' ) as $file ) {
			if ( file_exists( $dir . '/' . $file ) ) {
				return true;
			}
		}
		return false;
	}

	/** A name part derived from the secret (not guessable, stable for the site). */
	private function key(): string {
		return substr( hash_hmac( 'sha256', 'syncline-state-dir', $this->secret ), 0, 16 );
	}

	/**
	 * Creates a directory (0700) if missing; whether it is a writable directory.
	 *
	 * @param string $dir Directory.
	 */
	private function make( string $dir ): bool {
		if ( ! is_dir( $dir ) && ! @mkdir( $dir, 0700, true ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- failure is handled by the caller.
			return false;
		}
		return is_writable( $dir );
	}

	/**
	 * Files that deny web access on Apache (.htaccess), IIS (web.config) and any PHP server (index.php).
	 *
	 * @param string $dir Directory.
	 */
	private function guard( string $dir ): void {
		$files = array(
			'index.php'  => "<?php\n// Silence is golden.\n",
			'.htaccess'  => "Require all denied\n<IfModule !mod_authz_core.c>\nDeny from all\n</IfModule>\n",
			'web.config' => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration><system.webServer><authorization><deny users=\"*\" /></authorization></system.webServer></configuration>\n",
		);
		foreach ( $files as $name => $content ) {
			if ( ! file_exists( $dir . '/' . $name ) ) {
				file_put_contents( $dir . '/' . $name, $content );
			}
		}
	}
}

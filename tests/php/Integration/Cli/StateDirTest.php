<?php
/**
 * The sidecar's log directory: outside the web root by default.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Cli;

use Syncline\Cli\StateDir;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * phpcs:disable WordPress.WP.AlternativeFunctions -- temporary directories of the test.
 *
 * @testdox Sidecar state directory
 */
final class StateDirTest extends IntegrationTestCase {

	private const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

	/**
	 * A temporary tree: root/www (ABSPATH, with index.php), root/www/wp-content/uploads.
	 *
	 * @var string
	 */
	private string $root = '';

	/** Builds the tree. */
	protected function setUp(): void {
		parent::setUp();
		$this->root = sys_get_temp_dir() . '/syncline-statedir-' . bin2hex( random_bytes( 4 ) );
		mkdir( $this->root . '/www/wp-content/uploads', 0755, true );
		file_put_contents( $this->root . '/www/index.php', '<?php' );
	}

	/** Removes the tree. */
	protected function tearDown(): void {
		exec( 'rm -rf ' . escapeshellarg( $this->root ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec -- test cleanup of its own temp tree.
		parent::tearDown();
	}

	/**
	 * The resolver on the tree.
	 *
	 * @param string|null $configured SYNCLINE_LOG_DIR.
	 */
	private function dir( ?string $configured = null ): StateDir {
		return new StateDir( $this->root . '/www/', $this->root . '/www/wp-content/uploads', self::SECRET, $configured );
	}

	/**
	 * @testdox by default the directory is beside the WordPress directory, outside the web root, mode 0700
	 */
	public function test_outside_web_root(): void {
		$path = $this->dir()->path();
		$this->assertSame( $this->root, dirname( $path ) );
		$this->assertStringStartsWith( 'syncline-', basename( $path ) );
		$this->assertStringNotContainsString( '/www/', $path . '/' );
		$this->assertSame( 0700, fileperms( $path ) & 0777 );
		$this->assertSame( $path, $this->dir()->path(), 'stable' );
	}

	/**
	 * @testdox when the parent looks served, the fallback is an unguessable uploads directory that denies web access
	 */
	public function test_guarded_fallback(): void {
		file_put_contents( $this->root . '/index.php', '<?php' );
		$path = $this->dir()->path();
		$this->assertSame( $this->root . '/www/wp-content/uploads', dirname( $path ) );
		$this->assertMatchesRegularExpression( '/^syncline-[0-9a-f]{16}$/', basename( $path ) );
		$this->assertStringNotContainsString( substr( self::SECRET, 0, 16 ), $path );
		$this->assertFileExists( $path . '/index.php' );
		$this->assertStringContainsString( 'Require all denied', (string) file_get_contents( $path . '/.htaccess' ) );
		$this->assertStringContainsString( '<deny users="*"', (string) file_get_contents( $path . '/web.config' ) );
	}

	/**
	 * @testdox SYNCLINE_LOG_DIR is used as given, and an unusable one is an error
	 */
	public function test_configured(): void {
		$this->assertSame( $this->root . '/logs', $this->dir( $this->root . '/logs/' )->path() );
		$this->assertDirectoryExists( $this->root . '/logs' );
		file_put_contents( $this->root . '/file', '' );
		$this->expectException( \RuntimeException::class );
		$this->dir( $this->root . '/file/sub' )->path();
	}
}

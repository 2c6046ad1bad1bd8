<?php
/**
 * The admin screen loads only where WordPress provides every script it was built against, and says why otherwise.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Admin\AdminPage;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Admin page
 *
 * phpcs:disable WordPress.WP.AlternativeFunctions -- a temporary plugin folder of the test.
 */
final class AdminPageTest extends IntegrationTestCase {

	/**
	 * A plugin folder with a built screen whose asset file names the given dependencies.
	 *
	 * @var string
	 */
	private string $dir = '';

	/** An administrator. */
	protected function setUp(): void {
		parent::setUp();
		$this->login_as( 'administrator' );
		$this->dir = sys_get_temp_dir() . '/syncline-admin-page-' . wp_generate_password( 8, false );
		mkdir( $this->dir . '/build/admin', 0777, true );
		file_put_contents( $this->dir . '/plugin.php', '<?php' );
		file_put_contents( $this->dir . '/build/admin/index.js', '' );
	}

	/** Removes the folder and the enqueued script. */
	protected function tearDown(): void {
		wp_scripts()->add_data( 'wp-api-fetch', 'after', array() );
		wp_dequeue_script( AdminPage::HANDLE );
		wp_deregister_script( AdminPage::HANDLE );
		array_map( 'unlink', array_filter( (array) glob( $this->dir . '/{,build/admin/}*', GLOB_BRACE ), 'is_file' ) );
		rmdir( $this->dir . '/build/admin' );
		rmdir( $this->dir . '/build' );
		rmdir( $this->dir );
		parent::tearDown();
	}

	/**
	 * @testdox a WordPress without a script the screen needs gets a notice naming it, and nothing is enqueued
	 */
	public function test_missing_dependency_is_explained(): void {
		$html = $this->open_screen( array( 'wp-element', 'syncline-test-missing-handle' ) );
		$this->assertFalse( wp_script_is( AdminPage::HANDLE, 'enqueued' ), 'dequeued when the page is rendered' );
		$this->assertStringContainsString( 'needs WordPress 7.0 or later', $html );
		$this->assertStringContainsString( 'syncline-test-missing-handle', $html );
		$this->assertStringNotContainsString( 'Loading Syncline', $html );
	}

	/**
	 * @testdox a script registered late (after the screen was enqueued, as WooCommerce does) is not missing
	 */
	public function test_late_registration_counts(): void {
		$html = $this->open_screen( array( 'wp-element', 'syncline-test-late-handle' ), fn() => wp_register_script( 'syncline-test-late-handle', false, array(), '1', true ) );
		wp_deregister_script( 'syncline-test-late-handle' );
		$this->assertTrue( wp_script_is( AdminPage::HANDLE, 'enqueued' ) );
		$this->assertStringContainsString( 'Loading Syncline', $html );
	}

	/**
	 * @testdox with every script provided the screen is enqueued and mounts
	 */
	public function test_screen_loads_when_every_dependency_is_there(): void {
		$html = $this->open_screen( array( 'wp-element', 'wp-i18n' ) );
		$this->assertTrue( wp_script_is( AdminPage::HANDLE, 'enqueued' ) );
		$this->assertStringContainsString( 'Loading Syncline', $html );
	}

	/**
	 * @testdox the user's saved list views come with the page (api-fetch preloading), not in a request before the first list
	 */
	public function test_saved_views_are_preloaded(): void {
		update_user_meta( get_current_user_id(), $GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences', array( 'syncline/admin' => array( 'view:exceptions' => array( 'perPage' => 50 ) ) ) );
		$this->open_screen( array( 'wp-element', 'wp-api-fetch' ) );
		$inline = implode( "\n", (array) wp_scripts()->get_data( 'wp-api-fetch', 'after' ) );
		$this->assertMatchesRegularExpression( '/wp\.apiFetch\.use\( wp\.apiFetch\.createPreloadingMiddleware\( (\{.*\}) \) \);/', $inline );
		preg_match( '/createPreloadingMiddleware\( (\{.*\}) \) \);/', $inline, $m );
		$preload = json_decode( $m[1], true );
		$me      = $preload[ AdminPage::PRELOAD[0] ]['body'] ?? null;
		$this->assertSame( get_current_user_id(), $me['id'] ?? null );
		$this->assertSame( 50, $me['meta']['persisted_preferences']['syncline/admin']['view:exceptions']['perPage'] ?? null );
	}

	/**
	 * Opening tab, saved Exceptions view (null: none), the list path preloaded (null: none).
	 *
	 * @return array<string, array{0: ?string, 1: ?array<string, mixed>, 2: ?string}>
	 */
	public function first_page_cases(): array {
		return array(
			'default view'      => array( 'exceptions', null, AdminPage::EXCEPTIONS_PATH . '?page=1&per_page=20' ),
			'saved columns'     => array(
				'exceptions',
				array(
					'fields'  => array( 'reason' ),
					'filters' => array(),
				),
				AdminPage::EXCEPTIONS_PATH . '?page=1&per_page=20',
			),
			'saved page size'   => array( 'exceptions', array( 'perPage' => 50 ), AdminPage::EXCEPTIONS_PATH . '?page=1&per_page=50' ),
			'saved filter'      => array(
				'exceptions',
				array(
					'filters' => array(
						array(
							'field'    => 'reason',
							'operator' => 'is',
							'value'    => 'unknown_sku',
						),
					),
				),
				null,
			),
			'saved sort'        => array(
				'exceptions',
				array(
					'sort' => array(
						'field'     => 'age',
						'direction' => 'asc',
					),
				),
				null,
			),
			'a bad page size'   => array( 'exceptions', array( 'perPage' => 'all' ), AdminPage::EXCEPTIONS_PATH . '?page=1&per_page=20' ),
			'another tab'       => array( 'overview', null, null ),
			'tab in capitals'   => array( 'Exceptions', null, null ),
			'no tab (overview)' => array( null, null, null ),
		);
	}

	/**
	 * @testdox the Exceptions tab's first page comes with the page in the default view or a saved page size; not with a saved filter or sort, nor on another tab ($tab)
	 * @dataProvider first_page_cases
	 *
	 * @param string|null               $tab      The address's `tab`.
	 * @param array<string, mixed>|null $view     The saved Exceptions view.
	 * @param string|null               $expected The list path preloaded.
	 */
	public function test_exceptions_first_page_is_preloaded( ?string $tab, ?array $view, ?string $expected ): void {
		// One exception to list: an order event an admin must look at.
		$this->writer()->record( 'order.created', 'order', 424242 );
		$this->db->query( 'UPDATE ' . $this->db->table( 'events' ) . " SET state = 'needs_human', last_error_code = 'unknown_sku' WHERE object_id = %d", array( 424242 ) );
		if ( null !== $view ) {
			update_user_meta( get_current_user_id(), $GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences', array( 'syncline/admin' => array( 'view:exceptions' => $view ) ) );
		}
		if ( null !== $tab ) {
			$_GET['tab'] = $tab; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the address of the page view under test.
		}
		try {
			$this->open_screen( array( 'wp-element', 'wp-api-fetch' ) );
		} finally {
			unset( $_GET['tab'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- as above.
		}
		preg_match( '/createPreloadingMiddleware\( (\{.*\}) \) \);/', implode( "\n", (array) wp_scripts()->get_data( 'wp-api-fetch', 'after' ) ), $m );
		$preload = json_decode( $m[1] ?? '', true );
		$this->assertIsArray( $preload );
		$lists = array_values( array_filter( array_keys( $preload ), static fn ( $path ) => str_starts_with( (string) $path, AdminPage::EXCEPTIONS_PATH ) ) );
		if ( null === $expected ) {
			$this->assertSame( array(), $lists );
			return;
		}
		$this->assertSame( array( $expected ), $lists );
		$this->assertSame( '1', (string) ( $preload[ $expected ]['headers']['X-WP-Total'] ?? '' ), 'the pagination header the list reads' );
		$this->assertCount( 1, $preload[ $expected ]['body'], 'the exception row' );
	}

	/**
	 * Adds the menu entry, enqueues for the screen and renders it.
	 *
	 * @param string[]      $deps  The built screen's dependencies.
	 * @param callable|null $later Runs after the screen was enqueued, before it is rendered.
	 * @return string The page body.
	 */
	private function open_screen( array $deps, ?callable $later = null ): string {
		$asset = array(
			'dependencies' => $deps,
			'version'      => 't',
		);
		file_put_contents( $this->dir . '/build/admin/index.asset.php', '<?php return ' . var_export( $asset, true ) . ';' ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export -- writes a PHP asset file, as the build does.
		$page = new AdminPage( $this->dir . '/plugin.php' );
		$page->register();
		// Only Syncline's own menu entry (the whole admin_menu action runs WooCommerce's menus too).
		( new \ReflectionMethod( AdminPage::class, 'add_menu' ) )->invoke( $page );
		$suffix = ( new \ReflectionProperty( AdminPage::class, 'hook_suffix' ) )->getValue( $page );
		$this->assertNotSame( '', $suffix );
		// What the admin_enqueue_scripts hook calls on this screen (the whole action needs a full admin request).
		( new \ReflectionMethod( AdminPage::class, 'enqueue' ) )->invoke( $page, $suffix );
		if ( null !== $later ) {
			$later();
		}
		ob_start();
		( new \ReflectionMethod( AdminPage::class, 'render' ) )->invoke( $page );
		return (string) ob_get_clean();
	}
}

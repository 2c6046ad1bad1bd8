<?php
/**
 * WooCommerce → Syncline: the menu entry and the React app's scripts.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin;

use Syncline\Infrastructure\Registerable;

/**
 * Adds the Syncline screen under WooCommerce (or as a top-level menu when the WooCommerce menu is missing)
 * and loads build/admin/index.js only on that screen.
 */
final class AdminPage implements Registerable {

	public const SLUG       = 'syncline';
	public const CAPABILITY = 'manage_woocommerce';
	public const HANDLE     = 'syncline-admin';

	/**
	 * REST reads the screen makes before its first list, answered from the page itself (api-fetch's preloading
	 * middleware, as the block editor does): the user's saved list views (admin/src/data/views.ts asks this path).
	 */
	public const PRELOAD = array( '/wp/v2/users/me?context=edit&_fields=id,meta' );

	/**
	 * The Exceptions list's REST path (admin/src/data/exceptions/hooks.ts EXCEPTIONS_PATH) and the page size of its
	 * default view (admin/src/pages/Exceptions.tsx DEFAULT_VIEW): its first page comes with the page when the screen
	 * opens on that tab, so the list paints without a request of its own.
	 */
	public const EXCEPTIONS_PATH     = '/syncline/v1/admin/exceptions';
	public const EXCEPTIONS_PER_PAGE = 20;

	/**
	 * The screen's hook suffix, known once the menu is added.
	 *
	 * @var string
	 */
	private string $hook_suffix = '';

	/**
	 * Script handles the built screen depends on (known once enqueued).
	 *
	 * @var list<string>
	 */
	private array $deps = array();

	/**
	 * Builds the page.
	 *
	 * @param string $plugin_file Absolute path of plugin.php (to locate build/admin/).
	 */
	public function __construct( private string $plugin_file ) {
	}

	/** Hooks: the menu (after WooCommerce adds its own at priority 9) and the scripts of this screen. */
	public function register(): void {
		// Adds WooCommerce → Syncline, or a top-level Syncline menu without WooCommerce.
		add_action( 'admin_menu', fn() => $this->add_menu(), 60 );
		// Loads the React app, its styles and translations on the Syncline screen only.
		add_action( 'admin_enqueue_scripts', fn( $hook ) => $this->enqueue( (string) $hook ) );
	}

	/**
	 * The URL of the Syncline screen, optionally on one tab.
	 *
	 * @param string $tab      Tab name (overview, exceptions, trace, mappings, settings, reconciliation).
	 * @param int    $order_id Order to trace.
	 */
	public static function url( string $tab = '', int $order_id = 0 ): string {
		$args = array( 'page' => self::SLUG );
		if ( '' !== $tab ) {
			$args['tab'] = $tab;
		}
		if ( $order_id > 0 ) {
			$args['order'] = $order_id;
		}
		return add_query_arg( $args, admin_url( 'admin.php' ) );
	}

	/** Adds the menu entry. */
	private function add_menu(): void {
		global $admin_page_hooks;
		$title  = __( 'Syncline', 'syncline' );
		$render = fn() => $this->render();
		if ( is_array( $admin_page_hooks ) && isset( $admin_page_hooks['woocommerce'] ) ) {
			$this->hook_suffix = (string) add_submenu_page( 'woocommerce', $title, $title, self::CAPABILITY, self::SLUG, $render );
		} else {
			$this->hook_suffix = (string) add_menu_page( $title, $title, self::CAPABILITY, self::SLUG, $render, 'dashicons-update', 56 );
		}
	}

	/**
	 * The page body: a mount point for the React app. Checked here, after every admin_enqueue_scripts callback (some
	 * plugins, WooCommerce among them, register their handles late on that hook): a script the screen needs that
	 * this WordPress does not register would keep the app from loading at all, so it is not enqueued and the page
	 * says why instead of staying empty.
	 */
	private function render(): void {
		$missing = array_values( array_filter( $this->deps, fn( string $dep ) => ! wp_script_is( $dep, 'registered' ) ) );
		if ( array() !== $missing ) {
			wp_dequeue_script( self::HANDLE );
		}
		echo '<div class="wrap"><div id="syncline-admin-root">';
		if ( ! file_exists( $this->build_dir() . 'index.asset.php' ) ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'The Syncline admin screen is not built. Run npm run build in the plugin folder.', 'syncline' ) . '</p></div>';
		} elseif ( array() !== $missing ) {
			echo '<div class="notice notice-error"><p>' . esc_html(
				sprintf(
					/* translators: %s: script handles, comma-separated. */
					__( 'The Syncline screen needs WordPress 7.0 or later: this WordPress does not provide %s. Orders keep syncing; update WordPress to see this screen.', 'syncline' ),
					implode( ', ', $missing )
				)
			) . '</p></div>';
		} else {
			echo '<p>' . esc_html__( 'Loading Syncline…', 'syncline' ) . '</p>';
		}
		echo '</div><noscript>' . esc_html__( 'The Syncline screen needs JavaScript.', 'syncline' ) . '</noscript></div>';
	}

	/**
	 * Enqueues the app on the Syncline screen.
	 *
	 * @param string $hook The current admin page's hook suffix.
	 */
	private function enqueue( string $hook ): void {
		if ( '' === $this->hook_suffix || $hook !== $this->hook_suffix ) {
			return;
		}
		$asset_file = $this->build_dir() . 'index.asset.php';
		if ( ! file_exists( $asset_file ) ) {
			return;
		}
		$asset      = require $asset_file;
		$deps       = is_array( $asset ) && isset( $asset['dependencies'] ) ? (array) $asset['dependencies'] : array();
		$ver        = is_array( $asset ) && isset( $asset['version'] ) ? (string) $asset['version'] : '0';
		$this->deps = array_map( 'strval', $deps );
		$url        = plugins_url( 'build/admin/', $this->plugin_file );
		wp_enqueue_script( self::HANDLE, $url . 'index.js', $deps, $ver, true );
		wp_set_script_translations( self::HANDLE, 'syncline', dirname( $this->plugin_file ) . '/languages' );
		$preload = array_reduce( array_merge( self::PRELOAD, $this->first_list_page() ), 'rest_preload_api_request', array() );
		wp_add_inline_script( 'wp-api-fetch', sprintf( 'wp.apiFetch.use( wp.apiFetch.createPreloadingMiddleware( %s ) );', wp_json_encode( $preload ) ), 'after' );
		wp_enqueue_style( 'wp-components' );
		if ( file_exists( $this->build_dir() . 'style-index.css' ) ) {
			wp_enqueue_style( self::HANDLE, $url . 'style-index.css', array( 'wp-components' ), $ver );
			wp_style_add_data( self::HANDLE, 'rtl', 'replace' );
		}
	}

	/** Absolute path of build/admin/ with a trailing slash. */
	private function build_dir(): string {
		return trailingslashit( dirname( $this->plugin_file ) ) . 'build/admin/';
	}

	/**
	 * The REST path of the first list the screen will ask for, when it can be known here: the Exceptions tab (the
	 * address's `tab`, exactly as the screen reads it) in a view with no filter and no sort, the user's saved page
	 * size or the default. The path is the one admin/src/components/DataList.tsx builds (viewToArgs: page, per_page);
	 * a saved view with filters or a sort is fetched by the screen itself.
	 *
	 * @return list<string> Zero or one path.
	 */
	private function first_list_page(): array {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- which tab a page view opens on; nothing is changed.
		$tab = isset( $_GET['tab'] ) && is_string( $_GET['tab'] ) ? sanitize_text_field( wp_unslash( $_GET['tab'] ) ) : '';
		if ( 'exceptions' !== $tab ) {
			return array();
		}
		$prefs = get_user_meta( get_current_user_id(), $GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences', true );
		$view  = is_array( $prefs ) && is_array( $prefs['syncline/admin']['view:exceptions'] ?? null ) ? $prefs['syncline/admin']['view:exceptions'] : array();
		if ( ! empty( $view['filters'] ) || ! empty( $view['sort'] ) ) {
			return array();
		}
		$per_page = is_int( $view['perPage'] ?? null ) && $view['perPage'] > 0 ? $view['perPage'] : self::EXCEPTIONS_PER_PAGE;
		return array(
			add_query_arg(
				array(
					'page'     => 1,
					'per_page' => $per_page,
				),
				self::EXCEPTIONS_PATH
			),
		);
	}
}

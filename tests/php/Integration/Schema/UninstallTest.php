<?php
/**
 * The uninstall script drops every Syncline table and option, only with the opt-in.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Schema;

use Syncline\Hooks\OrderSweep;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\DataRemoval;
use Syncline\Outbox\OutboxSchema;
use Syncline\Reconcile\ReconcileSchema;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Uninstall
 */
final class UninstallTest extends IntegrationTestCase {

	/**
	 * DDL commits implicitly: no transaction; tearDown brings the schema and secret back.
	 *
	 * @var bool
	 */
	protected bool $in_transaction = false;

	/**
	 * The secret before the test.
	 *
	 * @var string
	 */
	private string $secret = '';

	/** Remembers the secret; defines what WordPress defines before it includes uninstall.php. */
	protected function setUp(): void {
		parent::setUp();
		$this->secret = $this->options->secret();
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'syncline/plugin.php' ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedConstantFound -- WordPress's own constant.
		}
	}

	/** Puts back what uninstall removed. */
	protected function tearDown(): void {
		wp_cache_flush();
		update_option( Options::SECRET, $this->secret, true );
		delete_option( Options::DELETE_DATA );
		$this->options->set( Options::SCHEMA_VERSION, '0' );
		( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true );
		( new ReconcileSchema( $this->db, $this->options ) )->maybe_upgrade();
		parent::tearDown();
	}

	/** Runs uninstall.php as WordPress does. */
	private function uninstall(): void {
		include dirname( __DIR__, 4 ) . '/uninstall.php';
		wp_cache_flush();
	}

	/**
	 * The Syncline tables that exist.
	 *
	 * @return array<int, string>
	 */
	private function tables(): array {
		return array_values( array_filter( OutboxSchema::TABLES, fn ( $t ) => $this->db->table_exists( $this->db->table( $t ) ) ) );
	}

	/**
	 * Every table whose name starts with the site's `syncline_` prefix, whatever its schema step.
	 *
	 * @return array<int, string>
	 */
	private function all_syncline_tables(): array {
		$like = $this->db->prefix() . 'syncline\\_%';
		return array_map( static fn ( $row ) => (string) reset( $row ), $this->db->rows( 'SHOW TABLES LIKE %s', array( $like ) ) );
	}

	/**
	 * @testdox without the opt-in nothing is dropped
	 */
	public function test_kept(): void {
		$this->uninstall();
		$this->assertSame( OutboxSchema::TABLES, $this->tables() );
		$this->assertNotFalse( get_option( Options::SECRET ) );
	}

	/**
	 * @testdox with the opt-in every syncline_ table, every option, the cron event, Syncline's order meta and saved list views are gone
	 */
	public function test_dropped(): void {
		$this->options->set( Options::DELETE_DATA, 'yes' );
		$this->options->set( Options::SETTINGS, array( 'erp_url' => 'https://erp.example' ) );
		$this->options->set( OutboxSchema::MISSED_ORDERS_OPTION, array( 5 => time() ) );
		$this->options->set( 'syncline_some_future_option', 'x' );
		set_transient( 'syncline_some_transient', 'x', 60 );
		OrderSweep::schedule();
		$tables = $this->all_syncline_tables();
		$this->assertContains( $this->db->table( ReconcileSchema::RUNS ), $tables );
		$this->assertGreaterThanOrEqual( count( OutboxSchema::TABLES ) + 2, count( $tables ) );
		$post = (int) wp_insert_post(
			array(
				'post_title'  => 'uninstall test',
				'post_status' => 'draft',
			)
		);
		add_post_meta( $post, '_syncline_erp_refs', array( 'order' => 7 ) );
		add_post_meta( $post, '_other_plugin', 'kept' );
		$user  = 1;
		$key   = $this->db->prefix() . 'persisted_preferences';
		$prefs = get_user_meta( $user, $key, true );
		update_user_meta(
			$user,
			$key,
			array(
				DataRemoval::PREFERENCES_SCOPE => array( 'view:exceptions' => array( 'perPage' => 50 ) ),
				'core/edit-post'               => array( 'welcomeGuide' => false ),
			)
		);
		$this->uninstall();
		$this->assertSame( array(), $this->tables() );
		$this->assertSame( array(), $this->all_syncline_tables(), 'every syncline_ table, reconciliation included' );
		$this->assertSame( '', get_post_meta( $post, '_syncline_erp_refs', true ), 'Syncline order meta gone' );
		$this->assertSame( 'kept', get_post_meta( $post, '_other_plugin', true ) );
		$this->assertSame( array( 'core/edit-post' => array( 'welcomeGuide' => false ) ), get_user_meta( $user, $key, true ), 'the saved list views go, the editor\'s preferences stay' );
		wp_delete_post( $post, true );
		'' === $prefs ? delete_user_meta( $user, $key ) : update_user_meta( $user, $key, $prefs );
		foreach ( array_merge( OutboxSchema::OPTIONS, array( 'syncline_some_future_option' ) ) as $option ) {
			$this->assertFalse( get_option( $option ), $option );
		}
		$this->assertFalse( get_transient( 'syncline_some_transient' ) );
		$this->assertFalse( wp_next_scheduled( OrderSweep::CRON_HOOK ) );
		$left = $this->db->value( 'SELECT COUNT(*) FROM ' . $this->db->prefix() . "options WHERE option_name LIKE 'syncline%' OR option_name LIKE '%transient%syncline%'" );
		$this->assertSame( 0, (int) $left );
	}
}

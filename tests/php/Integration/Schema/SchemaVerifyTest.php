<?php
/**
 * The schema version is stored only when every table and column exists.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Schema;

use Syncline\Admin\Notices;
use Syncline\Hooks\MissedOrders;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Schema verification
 */
final class SchemaVerifyTest extends IntegrationTestCase {

	/**
	 * DDL commits implicitly: no transaction; tearDown brings the schema back.
	 *
	 * @var bool
	 */
	protected bool $in_transaction = false;

	/** Makes dbDelta skip the mappings table, as when the database user may not create or alter it. */
	private function break_mappings(): void {
		add_filter( 'dbdelta_queries', array( $this, 'without_mappings' ) );
	}

	/**
	 * The dbDelta statements without the mappings table's.
	 *
	 * @param array<int, string> $queries Statements.
	 * @return array<int, string>
	 */
	public function without_mappings( array $queries ): array {
		return array_values( array_filter( $queries, fn ( $q ) => ! str_contains( (string) $q, $this->db->table( OutboxSchema::MAPPINGS ) . ' ' ) ) );
	}

	/** The schema as it should be. */
	protected function tearDown(): void {
		remove_filter( 'dbdelta_queries', array( $this, 'without_mappings' ) );
		$this->options->set( Options::SCHEMA_VERSION, '0' );
		( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/** The admin notices for an administrator. */
	private function notices(): string {
		$admins = get_users(
			array(
				'role'   => 'administrator',
				'number' => 1,
			)
		);
		wp_set_current_user( (int) $admins[0]->ID );
		ob_start();
		( new Notices( $this->options, new MissedOrders( $this->options ) ) )->render();
		return (string) ob_get_clean();
	}

	/**
	 * @testdox a table dbDelta did not create keeps the old version, is logged and shown; the next run completes
	 */
	public function test_missing_table(): void {
		$schema = new OutboxSchema( $this->db, $this->options );
		$this->db->query( 'DROP TABLE ' . $this->db->table( OutboxSchema::MAPPINGS ) );
		$this->options->set( Options::SCHEMA_VERSION, '2' );
		$this->break_mappings();
		$this->assertFalse( $schema->maybe_upgrade() );
		$this->assertSame( '2', get_option( Options::SCHEMA_VERSION ) );
		$error = get_option( OutboxSchema::ERROR_OPTION );
		$this->assertSame( array( $this->db->table( OutboxSchema::MAPPINGS ) ), $error['missing'] );
		$this->assertStringContainsString( 'notice-error', $this->notices() );
		$this->assertStringContainsString( $this->db->table( OutboxSchema::MAPPINGS ), $this->notices() );

		remove_filter( 'dbdelta_queries', array( $this, 'without_mappings' ) );
		$this->assertFalse( $schema->maybe_upgrade(), 'page loads retry at most every RETRY_SECONDS' );
		$this->assertSame( '2', get_option( Options::SCHEMA_VERSION ) );
		$this->assertTrue( $schema->maybe_upgrade( true ), 'activation forces a run' );
		$this->assertSame( OutboxSchema::SCHEMA_VERSION, get_option( Options::SCHEMA_VERSION ) );
		$this->assertFalse( get_option( OutboxSchema::ERROR_OPTION ) );
		$this->assertSame( '', $this->notices() );
	}

	/**
	 * @testdox a missing column is found too
	 */
	public function test_missing_column(): void {
		$schema = new OutboxSchema( $this->db, $this->options );
		$this->db->query( 'ALTER TABLE ' . $this->db->table( OutboxSchema::MAPPINGS ) . ' DROP COLUMN updated_by' );
		$this->options->set( Options::SCHEMA_VERSION, '2' );
		$this->break_mappings();
		$this->assertFalse( $schema->maybe_upgrade() );
		$this->assertSame( '2', get_option( Options::SCHEMA_VERSION ) );
		$this->assertSame( array( $this->db->table( OutboxSchema::MAPPINGS ) . '.updated_by' ), get_option( OutboxSchema::ERROR_OPTION )['missing'] );
		remove_filter( 'dbdelta_queries', array( $this, 'without_mappings' ) );
		$this->options->set( OutboxSchema::ERROR_OPTION, array( 'at' => time() - OutboxSchema::RETRY_SECONDS - 1 ) );
		$this->assertTrue( $schema->maybe_upgrade(), 'a page load after RETRY_SECONDS retries' );
		$this->assertSame( array(), $schema->missing() );
	}

	/**
	 * @testdox every table of the definitions is verified, with its columns
	 */
	public function test_all_verified(): void {
		$schema = new OutboxSchema( $this->db, $this->options );
		$this->assertSame( array(), $schema->missing() );
		$this->assertCount( 7, OutboxSchema::TABLES );
	}
}

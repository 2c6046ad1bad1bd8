<?php
/**
 * Schema migrations.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Outbox;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Outbox schema
 */
final class OutboxSchemaTest extends IntegrationTestCase {

	/**
	 * DDL commits implicitly, so these tests run outside a transaction (they write no rows).
	 *
	 * @var bool
	 */
	protected bool $in_transaction = false;

	/**
	 * @testdox running the migrations again from version 0 is idempotent and leaves the version stored
	 */
	public function test_idempotent(): void {
		$schema = new OutboxSchema( $this->db, $this->options );
		$this->options->set( Options::SCHEMA_VERSION, '0' );
		$this->assertTrue( $schema->maybe_upgrade() );
		$this->options->set( Options::SCHEMA_VERSION, '0' );
		$this->assertTrue( $schema->maybe_upgrade() );
		$this->assertFalse( $schema->maybe_upgrade(), 'nothing to do once the version matches' );
		$this->assertSame( OutboxSchema::SCHEMA_VERSION, get_option( Options::SCHEMA_VERSION ) );
		foreach ( array( 'events', 'nonces', 'sku_map', 'event_log' ) as $table ) {
			$this->assertTrue( $this->db->table_exists( $this->db->table( $table ) ), $table );
		}
	}

	/**
	 * @testdox the events table has the contract's columns and the claim query's indexes
	 */
	public function test_columns_and_indexes(): void {
		$table   = $this->db->table( 'events' );
		$columns = array_column( $this->db->rows( "SHOW COLUMNS FROM {$table}" ), 'Field' );
		$this->assertSame(
			array( 'id', 'topic', 'object_type', 'object_id', 'correlation_id', 'state', 'pending_key', 'attempts', 'available_at', 'lease_token', 'lease_owner', 'leased_until', 'last_error_code', 'last_error_message', 'last_error_details', 'result', 'created_at', 'updated_at', 'version' ),
			$columns
		);
		$indexes = array();
		foreach ( $this->db->rows( "SHOW INDEX FROM {$table}" ) as $row ) {
			$indexes[ $row['Key_name'] ][] = $row['Column_name'];
		}
		$this->assertSame( array( 'state', 'available_at' ), $indexes['state_available'] );
		$this->assertSame( array( 'state', 'leased_until' ), $indexes['state_leased'] );
		$this->assertSame( array( 'object_type', 'object_id' ), $indexes['object'] );
		$this->assertSame( array( 'pending_key' ), $indexes['pending_key'] );
		$this->assertSame( array( 'correlation_id' ), $indexes['correlation_id'] );
	}
}

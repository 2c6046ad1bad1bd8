<?php
/**
 * Schema 5: the admin lists' indexes, added by a versioned step and verified before the version is stored.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Schema;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Schema 5 (admin indexes)
 */
final class AdminIndexesTest extends IntegrationTestCase {

	/**
	 * DDL commits implicitly: no transaction; tearDown brings the schema back.
	 *
	 * @var bool
	 */
	protected bool $in_transaction = false;

	/** The schema as it should be. */
	protected function tearDown(): void {
		remove_filter( 'dbdelta_queries', array( $this, 'without_events' ) );
		$this->options->set( Options::SCHEMA_VERSION, '0' );
		( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true );
		parent::tearDown();
	}

	/**
	 * The dbDelta statements without the events table's (as when the database user may not alter it).
	 *
	 * @param array<int, string> $queries Statements.
	 * @return array<int, string>
	 */
	public function without_events( array $queries ): array {
		return array_values( array_filter( $queries, fn ( $q ) => ! str_contains( (string) $q, $this->db->table( OutboxSchema::EVENTS ) . ' ' ) ) );
	}

	/**
	 * Index name → columns.
	 *
	 * @param string $short Table.
	 * @return array<string, array<int, string>>
	 */
	private function indexes( string $short ): array {
		$out = array();
		foreach ( $this->db->rows( 'SHOW INDEX FROM ' . $this->db->table( $short ) ) as $row ) {
			$out[ (string) $row['Key_name'] ][] = (string) $row['Column_name'];
		}
		return $out;
	}

	/**
	 * @testdox a site at schema 4 gets the admin indexes and schema 5
	 */
	public function test_upgrade_from_4(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$log    = $this->db->table( OutboxSchema::EVENT_LOG );
		$this->db->query( "ALTER TABLE {$events} DROP INDEX state_object, DROP INDEX state_id, DROP INDEX state_updated" );
		$this->db->query( "ALTER TABLE {$log} DROP INDEX event_kind" );
		$this->options->set( Options::SCHEMA_VERSION, '4' );
		$this->assertTrue( ( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true ) );
		$this->assertSame( '5', get_option( Options::SCHEMA_VERSION ) );
		$idx = $this->indexes( OutboxSchema::EVENTS );
		$this->assertSame( array( 'state', 'object_type', 'object_id', 'last_error_code', 'created_at' ), $idx['state_object'] );
		$this->assertSame( array( 'state', 'id' ), $idx['state_id'] );
		$this->assertSame( array( 'state', 'updated_at' ), $idx['state_updated'] );
		$this->assertSame( array( 'event_id', 'kind', 'id' ), $this->indexes( OutboxSchema::EVENT_LOG )['event_kind'] );
	}

	/**
	 * @testdox an index the step could not add keeps schema 4 and names the index
	 */
	public function test_missing_index_is_not_verified(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$this->db->query( "ALTER TABLE {$events} DROP INDEX state_object" );
		$this->options->set( Options::SCHEMA_VERSION, '4' );
		add_filter( 'dbdelta_queries', array( $this, 'without_events' ) );
		$this->assertFalse( ( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true ) );
		$this->assertSame( '4', get_option( Options::SCHEMA_VERSION ) );
		$this->assertSame( array( $events . '#state_object' ), get_option( OutboxSchema::ERROR_OPTION )['missing'] );
	}

	/**
	 * @testdox the exception rows are grouped through the state_object index
	 */
	public function test_exceptions_use_the_index(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$plan   = $this->db->rows( "EXPLAIN SELECT object_type, object_id, last_error_code, MAX(id) FROM {$events} WHERE state = 'needs_human' GROUP BY object_type, object_id, last_error_code" );
		$this->assertSame( 'state_object', $plan[0]['key'] );
	}
}

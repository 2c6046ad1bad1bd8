<?php
/**
 * Schemas 5 and 6: the admin lists' indexes (5: filters and grouping, 6: sorts), added by versioned steps and
 * verified before the version is stored.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Schema;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxSchema;
use Syncline\Rest\SortArgs;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Schemas 5 and 6 (admin indexes)
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
		$this->assertSame( OutboxSchema::SCHEMA_VERSION, get_option( Options::SCHEMA_VERSION ) );
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

	/**
	 * @testdox a site at schema 5 gets the sort indexes and schema 6
	 */
	public function test_upgrade_from_5(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$map    = $this->db->table( OutboxSchema::SKU_MAP );
		$log    = $this->db->table( OutboxSchema::EVENT_LOG );
		$this->db->query( "ALTER TABLE {$events} DROP INDEX updated_at" );
		$this->db->query( "ALTER TABLE {$map} DROP INDEX erp_ref, DROP INDEX updated_at" );
		$this->db->query( "ALTER TABLE {$log} DROP INDEX event_kind_at" );
		$this->options->set( Options::SCHEMA_VERSION, '5' );
		$this->assertTrue( ( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true ) );
		$this->assertSame( '6', get_option( Options::SCHEMA_VERSION ) );
		$this->assertSame( array( 'updated_at' ), $this->indexes( OutboxSchema::EVENTS )['updated_at'] );
		$this->assertSame( array( 'erp_ref' ), $this->indexes( OutboxSchema::SKU_MAP )['erp_ref'] );
		$this->assertSame( array( 'updated_at' ), $this->indexes( OutboxSchema::SKU_MAP )['updated_at'] );
		$this->assertSame( array( 'event_id', 'kind', 'at' ), $this->indexes( OutboxSchema::EVENT_LOG )['event_kind_at'] );
	}

	/**
	 * @testdox an index step 6 could not add keeps schema 5 and names the index
	 */
	public function test_missing_sort_index_is_not_verified(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$this->db->query( "ALTER TABLE {$events} DROP INDEX updated_at" );
		$this->options->set( Options::SCHEMA_VERSION, '5' );
		add_filter( 'dbdelta_queries', array( $this, 'without_events' ) );
		$this->assertFalse( ( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade( true ) );
		$this->assertSame( '5', get_option( Options::SCHEMA_VERSION ) );
		$this->assertSame( array( $events . '#updated_at' ), get_option( OutboxSchema::ERROR_OPTION )['missing'] );
	}

	/**
	 * @testdox the sorted pages read the sort indexes in order (EXPLAIN: the index, no filesort)
	 */
	public function test_sorts_use_the_indexes(): void {
		$events = $this->db->table( OutboxSchema::EVENTS );
		$map    = $this->db->table( OutboxSchema::SKU_MAP );
		$log    = $this->db->table( OutboxSchema::EVENT_LOG );
		// Enough rows that reading in index order beats a sort for the optimizer.
		$this->db->query( "INSERT INTO {$events} (topic, object_type, object_id, correlation_id, state, attempts, available_at, created_at, updated_at) SELECT 'idx.test', 'order', seq, UUID(), IF(seq % 5, 'done', 'needs_human'), 1, 0, seq, seq * 7 % 3001 FROM seq_1_to_3000" );
		$this->db->query( "INSERT INTO {$map} (wc_sku, erp_ref, updated_at, updated_by) SELECT CONCAT('IDX-', seq), CONCAT('R', seq * 7 % 3001), seq, 0 FROM seq_1_to_3000" );
		$this->db->query( "INSERT INTO {$log} (event_id, at, kind, details, user_id) SELECT 0, seq * 7 % 3001, 'sku_mapping', '{\"idx\":1}', 0 FROM seq_1_to_3000" );
		foreach ( array( $events, $map, $log ) as $table ) {
			$this->db->query( "ANALYZE TABLE {$table}" );
		}
		$plans = array(
			'updated_at'    => "SELECT id FROM {$events} WHERE 1 = 1 ORDER BY " . SortArgs::sql( SortArgs::EVENTS, 'updated', true ) . ' LIMIT 20 OFFSET 40',
			'state_updated' => "SELECT id FROM {$events} WHERE state = 'needs_human' ORDER BY " . SortArgs::sql( SortArgs::EVENTS, 'updated', false ) . ' LIMIT 20',
			'erp_ref'       => "SELECT wc_sku FROM {$map} WHERE 1 = 1 ORDER BY " . SortArgs::sql( SortArgs::SKU_MAP, 'erp_ref', false ) . ' LIMIT 50',
			'updated_at '   => "SELECT wc_sku FROM {$map} WHERE 1 = 1 ORDER BY " . SortArgs::sql( SortArgs::SKU_MAP, 'changed', true ) . ' LIMIT 50',
			'event_kind_at' => "SELECT id FROM {$log} WHERE event_id = 0 AND kind = 'sku_mapping' ORDER BY " . SortArgs::sql( SortArgs::HISTORY, 'at', true ) . ' LIMIT 20',
		);
		try {
			foreach ( $plans as $index => $sql ) {
				$plan = $this->db->rows( "EXPLAIN {$sql}" );
				$this->assertSame( trim( $index ), $plan[0]['key'], $sql . ' ' . wp_json_encode( $plan ) );
				$this->assertStringNotContainsString( 'filesort', (string) $plan[0]['Extra'], $sql );
			}
		} finally { // No transaction here (DDL): the rows go by hand.
			$this->db->query( "DELETE FROM {$events} WHERE topic = 'idx.test'" );
			$this->db->query( "DELETE FROM {$map} WHERE wc_sku LIKE 'IDX-%'" );
			$this->db->query( "DELETE FROM {$log} WHERE details = %s", array( '{"idx":1}' ) );
		}
	}
}

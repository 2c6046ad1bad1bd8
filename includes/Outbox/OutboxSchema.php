<?php
/**
 * Versioned schema of Syncline's tables.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Stock\StockTables;

/**
 * Table definitions (dbDelta-compatible) and named upgrade steps, run on activation and whenever the stored
 * `syncline_schema_version` differs from SCHEMA_VERSION (checked on `plugins_loaded`).
 */
class OutboxSchema implements Registerable {

	public const SCHEMA_VERSION = '6';

	public const EVENTS    = 'events';
	public const NONCES    = 'nonces';
	public const SKU_MAP   = 'sku_map';
	public const EVENT_LOG = 'event_log';
	public const MAPPINGS  = 'mappings';

	/** Every Syncline table (short names), the one list verification and uninstall read. */
	public const TABLES = array( self::EVENTS, self::NONCES, self::SKU_MAP, self::EVENT_LOG, self::MAPPINGS, StockTables::INFLIGHT, StockTables::STOCK_STATE );

	/** How long page loads wait before retrying a schema upgrade that could not be verified. */
	public const RETRY_SECONDS = 300;

	/** Why the last schema step could not be verified (array: target version, missing tables/columns, time); absent when fine. */
	public const ERROR_OPTION = 'syncline_schema_error';

	/** Order ids whose outbox write failed in a hook (see Syncline\Hooks\MissedOrders). */
	public const MISSED_ORDERS_OPTION = 'syncline_missed_orders';

	/** Every Syncline option, the one list uninstall reads. */
	public const OPTIONS = array(
		Options::SECRET,
		Options::SCHEMA_VERSION,
		Options::HEARTBEATS,
		Options::SETTINGS,
		Options::DELETE_DATA,
		self::ERROR_OPTION,
		self::MISSED_ORDERS_OPTION,
		\Syncline\Hooks\RunLog::OPTION,
	);

	/**
	 * Columns and indexes of the outbox (see docs/ARCHITECTURE.md).
	 */
	private const EVENTS_COLUMNS = 'id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
topic varchar(64) NOT NULL,
object_type varchar(32) NOT NULL,
object_id bigint(20) unsigned NOT NULL,
correlation_id char(36) NOT NULL,
state varchar(16) NOT NULL DEFAULT \'pending\',
pending_key varchar(191) DEFAULT NULL,
attempts int(10) unsigned NOT NULL DEFAULT 0,
available_at bigint(20) unsigned NOT NULL DEFAULT 0,
lease_token char(32) DEFAULT NULL,
lease_owner varchar(64) DEFAULT NULL,
leased_until bigint(20) unsigned DEFAULT NULL,
last_error_code varchar(64) DEFAULT NULL,
last_error_message text DEFAULT NULL,
last_error_details longtext DEFAULT NULL,
result longtext DEFAULT NULL,
created_at bigint(20) unsigned NOT NULL,
updated_at bigint(20) unsigned NOT NULL,
version int(10) unsigned NOT NULL DEFAULT 0,
PRIMARY KEY  (id),
UNIQUE KEY pending_key (pending_key),
KEY state_available (state,available_at),
KEY state_leased (state,leased_until),
KEY object (object_type,object_id),
KEY correlation_id (correlation_id),
KEY state_object (state,object_type,object_id,last_error_code,created_at),
KEY state_id (state,id),
KEY state_updated (state,updated_at),
KEY updated_at (updated_at)';

	/**
	 * Upgrade steps by the version they bring the schema to, oldest first.
	 *
	 * @var array<int, string>
	 */
	private const STEPS = array(
		1 => 'update_schema_1',
		2 => 'update_schema_2_stock',
		3 => 'update_schema_3_mappings',
		4 => 'update_schema_4_event_version',
		5 => 'update_schema_5_admin_indexes',
		6 => 'update_schema_6_sort_indexes',
	);

	/**
	 * Builds the schema.
	 *
	 * @param Db      $db      Database.
	 * @param Options $options Options.
	 */
	public function __construct( private Db $db, private Options $options ) {
	}

	/**
	 * Runs pending upgrades early on every request (one autoloaded option read when nothing is due).
	 */
	public function register(): void {
		add_action( 'plugins_loaded', fn () => $this->maybe_upgrade(), 5 );
	}

	/**
	 * Runs every step newer than the stored version, then checks that every table and column exists. Only then
	 * is the new version stored; otherwise the old version stays (the steps run again on the next request), the
	 * gap is logged and kept in ERROR_OPTION for the admin notice. Idempotent: dbDelta only adds what is missing.
	 *
	 * After a failed verification, page loads retry at most every RETRY_SECONDS (dbDelta is not free);
	 * activation forces a run.
	 *
	 * @param bool $force Run even within RETRY_SECONDS of a failed run.
	 * @return bool Whether the schema was brought to SCHEMA_VERSION now.
	 */
	public function maybe_upgrade( bool $force = false ): bool {
		$stored = (string) $this->options->get( Options::SCHEMA_VERSION, '0' );
		if ( self::SCHEMA_VERSION === $stored ) {
			return false;
		}
		$failed = $this->options->get( self::ERROR_OPTION, null );
		if ( ! $force && is_array( $failed ) && (int) ( $failed['at'] ?? 0 ) > time() - self::RETRY_SECONDS ) {
			return false;
		}
		foreach ( self::STEPS as $version => $method ) {
			if ( version_compare( (string) $version, $stored, '>' ) ) {
				$this->{$method}();
			}
		}
		$missing = $this->missing();
		if ( array() !== $missing ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- an operator must see why the upgrade did not finish.
			error_log( sprintf( 'Syncline: schema %s not stored (still %s): missing %s (see the database errors above)', self::SCHEMA_VERSION, $stored, implode( ', ', $missing ) ) );
			$this->options->set(
				self::ERROR_OPTION,
				array(
					'version' => self::SCHEMA_VERSION,
					'stored'  => $stored,
					'missing' => $missing,
					'at'      => time(),
				)
			);
			return false;
		}
		delete_option( self::ERROR_OPTION );
		$this->options->set( Options::SCHEMA_VERSION, self::SCHEMA_VERSION, true );
		return true;
	}

	/**
	 * The tables (`table`), columns (`table.column`) and indexes (`table#index`) of the current definitions that the
	 * database lacks.
	 *
	 * @return array<int, string>
	 */
	public function missing(): array {
		$missing = array();
		foreach ( self::TABLES as $short ) {
			$table = $this->db->table( $short );
			if ( ! $this->db->table_exists( $table ) ) {
				$missing[] = $table;
				continue;
			}
			$have = array_map( 'strtolower', array_column( $this->db->rows( "SHOW COLUMNS FROM {$table}" ), 'Field' ) );
			foreach ( array_diff( $this->columns_of( $short ), $have ) as $column ) {
				$missing[] = $table . '.' . $column;
			}
			$keys = array_map( 'strtolower', array_column( $this->db->rows( "SHOW INDEX FROM {$table}" ), 'Key_name' ) );
			foreach ( array_diff( $this->keys_of( $short ), $keys ) as $key ) {
				$missing[] = $table . '#' . $key;
			}
		}
		return $missing;
	}

	/**
	 * Column names of one table's definition.
	 *
	 * @param string $short One of TABLES.
	 * @return array<int, string>
	 */
	private function columns_of( string $short ): array {
		$columns = array();
		foreach ( explode( "\n", $this->get_table_definition( $short ) ) as $line ) {
			if ( 1 === preg_match( '/^([a-z_][a-z0-9_]*) [a-z]/i', trim( $line ), $m ) && ! in_array( strtoupper( $m[1] ), array( 'CREATE', 'PRIMARY', 'KEY', 'UNIQUE', 'INDEX' ), true ) ) {
				$columns[] = strtolower( $m[1] );
			}
		}
		return $columns;
	}

	/**
	 * Index names of one table's definition (KEY and UNIQUE KEY lines; the primary key is checked as columns).
	 *
	 * @param string $short One of TABLES.
	 * @return array<int, string>
	 */
	private function keys_of( string $short ): array {
		preg_match_all( '/^(?:UNIQUE )?KEY ([a-z_][a-z0-9_]*) \(/mi', $this->get_table_definition( $short ), $m );
		return array_map( 'strtolower', $m[1] );
	}

	/**
	 * Version 1: the outbox, the nonce guard, the SKU map and the event log.
	 */
	protected function update_schema_1(): void {
		$this->db->delta(
			array(
				$this->get_table_definition( self::EVENTS ),
				$this->get_table_definition( self::NONCES ),
				$this->get_table_definition( self::SKU_MAP ),
				$this->get_table_definition( self::EVENT_LOG ),
			)
		);
	}

	/**
	 * Version 2: stock (ATS) sync, the in-flight orders and the per-SKU apply state.
	 */
	protected function update_schema_2_stock(): void {
		$this->db->delta(
			array(
				$this->get_table_definition( StockTables::INFLIGHT ),
				$this->get_table_definition( StockTables::STOCK_STATE ),
			)
		);
	}

	/**
	 * Version 3: the other admin mappings (order status, payment method, tax rate, shipping method, warehouses).
	 */
	protected function update_schema_3_mappings(): void {
		$this->db->delta( array( $this->get_table_definition( self::MAPPINGS ) ) );
	}

	/**
	 * Version 4: the events' write version (bumped each time a hook coalesces into a pending row), so a done push
	 * closes exactly the pending events whose writes its payload had seen (OutboxRepository::ack_done()).
	 */
	protected function update_schema_4_event_version(): void {
		$this->db->delta( array( $this->get_table_definition( self::EVENTS ) ) );
	}

	/**
	 * Version 5: the admin lists' indexes, so their pages are read in SQL at 100,000 events: state_object groups the
	 * exception rows (one per object and reason; with created_at, the age filter stays on the index), state_id pages an event list by state newest first, state_updated
	 * counts the Overview's pushes of the last 24 hours; event_kind pages the mapping history (event 0, by kind).
	 */
	protected function update_schema_5_admin_indexes(): void {
		$this->db->delta( array( $this->get_table_definition( self::EVENTS ), $this->get_table_definition( self::EVENT_LOG ) ) );
	}

	/**
	 * Version 6: the indexes the admin lists' sorts read in order (SortArgs), so a sorted page is an index range, not
	 * a sort of the whole table: events by last change (updated_at; with a state filter state_updated), SKU
	 * mappings by ERP reference and by last change, the mapping history by time (event_kind_at). The primary key
	 * rides along in each (InnoDB), which is the sorts' tie-breaker.
	 */
	protected function update_schema_6_sort_indexes(): void {
		$this->db->delta(
			array(
				$this->get_table_definition( self::EVENTS ),
				$this->get_table_definition( self::SKU_MAP ),
				$this->get_table_definition( self::EVENT_LOG ),
			)
		);
	}

	/**
	 * Drops every table and deletes every option (uninstall only): TABLES and OPTIONS, plus any other
	 * `syncline_` option or transient a later version may have left.
	 */
	public function drop_all(): void {
		foreach ( self::TABLES as $short ) {
			$this->db->query( 'DROP TABLE IF EXISTS ' . $this->db->table( $short ) );
		}
		foreach ( self::OPTIONS as $option ) {
			delete_option( $option );
		}
		$options = $this->db->prefix() . 'options';
		foreach ( array( 'syncline\\_%', '\\_transient\\_syncline\\_%', '\\_transient\\_timeout\\_syncline\\_%' ) as $like ) {
			foreach ( $this->db->rows( "SELECT option_name FROM {$options} WHERE option_name LIKE %s", array( $like ) ) as $row ) {
				delete_option( (string) $row['option_name'] );
			}
		}
	}

	/**
	 * The CREATE TABLE statement of one table.
	 *
	 * The events indexes serve the claim query: (state, available_at) finds due pending rows,
	 * (state, leased_until) finds expired leases, (object_type, object_id) enforces one lease per object, and the
	 * unique pending_key makes a hook coalesce into an existing pending row.
	 *
	 * @param string $short One of the table constants.
	 * @throws \InvalidArgumentException For an unknown table.
	 */
	public function get_table_definition( string $short ): string {
		$table   = $this->db->table( $short );
		$collate = $this->db->charset_collate();
		$columns = match ( $short ) {
			self::EVENTS => self::EVENTS_COLUMNS,
			self::NONCES => 'nonce varchar(64) NOT NULL,
seen_at bigint(20) unsigned NOT NULL,
PRIMARY KEY  (nonce),
KEY seen_at (seen_at)',
			self::SKU_MAP => 'wc_sku varchar(191) NOT NULL,
erp_ref varchar(191) NOT NULL,
updated_at bigint(20) unsigned NOT NULL,
updated_by bigint(20) unsigned NOT NULL DEFAULT 0,
PRIMARY KEY  (wc_sku),
KEY erp_ref (erp_ref),
KEY updated_at (updated_at)',
			self::EVENT_LOG => 'id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
event_id bigint(20) unsigned NOT NULL,
at bigint(20) unsigned NOT NULL,
kind varchar(32) NOT NULL,
message text DEFAULT NULL,
details longtext DEFAULT NULL,
user_id bigint(20) unsigned NOT NULL DEFAULT 0,
PRIMARY KEY  (id),
KEY event_id (event_id,id),
KEY event_kind (event_id,kind,id),
KEY event_kind_at (event_id,kind,at)',
			self::MAPPINGS => 'type varchar(32) NOT NULL,
wc_key varchar(191) NOT NULL,
erp_value varchar(191) NOT NULL,
updated_at bigint(20) unsigned NOT NULL,
updated_by bigint(20) unsigned NOT NULL DEFAULT 0,
PRIMARY KEY  (type,wc_key)',
			StockTables::INFLIGHT, StockTables::STOCK_STATE => (string) StockTables::columns( $short ),
			default => throw new \InvalidArgumentException( 'Unknown table ' . esc_html( $short ) ),
		};
		return "CREATE TABLE {$table} (\n{$columns}\n) {$collate};";
	}
}

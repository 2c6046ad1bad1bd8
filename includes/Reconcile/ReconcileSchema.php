<?php
/**
 * Tables of reconciliation runs and their items.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;

/**
 * Its own version option (`syncline_reconcile_schema`), so it upgrades independently of the outbox schema: created
 * on activation and on the first request after an upgrade (plugins_loaded), dropped on uninstall.
 */
class ReconcileSchema implements Registerable {

	public const VERSION = '1';
	public const OPTION  = 'syncline_reconcile_schema';
	public const RUNS    = 'recon_runs';
	public const ITEMS   = 'recon_items';

	/**
	 * Builds the schema.
	 *
	 * @param Db      $db      Database.
	 * @param Options $options Options.
	 */
	public function __construct( private Db $db, private Options $options ) {
	}

	/** Upgrades early on every request (one autoloaded option read when nothing is due). */
	public function register(): void {
		add_action( 'plugins_loaded', fn () => $this->maybe_upgrade(), 6 );
	}

	/** Creates or updates the tables when the stored version differs; stores the version once both exist. */
	public function maybe_upgrade(): void {
		if ( self::VERSION === (string) $this->options->get( self::OPTION, '' ) ) {
			return;
		}
		$collate = $this->db->charset_collate();
		$runs    = $this->db->table( self::RUNS );
		$items   = $this->db->table( self::ITEMS );
		$this->db->delta(
			array(
				"CREATE TABLE {$runs} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
state varchar(16) NOT NULL DEFAULT 'queued',
trigger_source varchar(16) NOT NULL DEFAULT 'cron',
window_from bigint(20) unsigned NOT NULL,
window_to bigint(20) unsigned NOT NULL,
repair tinyint(1) NOT NULL DEFAULT 0,
orders_checked int(10) unsigned NOT NULL DEFAULT 0,
skus_checked int(10) unsigned NOT NULL DEFAULT 0,
found int(10) unsigned NOT NULL DEFAULT 0,
repaired int(10) unsigned NOT NULL DEFAULT 0,
cleared int(10) unsigned NOT NULL DEFAULT 0,
counts longtext DEFAULT NULL,
message text DEFAULT NULL,
created_at bigint(20) unsigned NOT NULL,
started_at bigint(20) unsigned DEFAULT NULL,
finished_at bigint(20) unsigned DEFAULT NULL,
duration_ms int(10) unsigned DEFAULT NULL,
PRIMARY KEY  (id),
KEY state (state)
) {$collate};",
				"CREATE TABLE {$items} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
run_id bigint(20) unsigned NOT NULL,
class varchar(32) NOT NULL,
object_type varchar(16) NOT NULL,
object_key varchar(191) NOT NULL,
state varchar(16) NOT NULL DEFAULT 'open',
repairable tinyint(1) NOT NULL DEFAULT 0,
diff_minor bigint(20) DEFAULT NULL,
message text DEFAULT NULL,
details longtext DEFAULT NULL,
repaired_at bigint(20) unsigned DEFAULT NULL,
cleared_by_run bigint(20) unsigned DEFAULT NULL,
object_time bigint(20) unsigned DEFAULT NULL,
PRIMARY KEY  (id),
KEY run_class (run_id,class),
KEY object (object_type,object_key),
KEY state (state)
) {$collate};",
			)
		);
		if ( $this->db->table_exists( $runs ) && $this->db->table_exists( $items ) ) {
			$this->options->set( self::OPTION, self::VERSION, true );
		}
	}

	/** Drops both tables and the version (uninstall). */
	public function drop(): void {
		foreach ( array( self::RUNS, self::ITEMS ) as $short ) {
			$this->db->query( 'DROP TABLE IF EXISTS ' . $this->db->table( $short ) );
		}
		delete_option( self::OPTION );
	}
}

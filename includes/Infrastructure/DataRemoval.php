<?php
/**
 * What uninstall removes besides the tables and options: Syncline's order meta and the admin's saved list views.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * Uninstall only (with the opt-in). Order meta `_syncline_*` (ERP refs, shipments ledger) from both order stores
 * (HPOS `wc_orders_meta` and the posts' `postmeta`), and the `syncline/admin` scope of every user's persisted
 * preferences (the saved list views, admin/src/data/views.ts); the block editor's own preferences stay.
 */
final class DataRemoval {

	/** The preferences scope of the admin screen's saved views. */
	public const PREFERENCES_SCOPE = 'syncline/admin';

	/**
	 * Builds it.
	 *
	 * @param Db $db Database proxy.
	 */
	public function __construct( private Db $db ) {
	}

	/** Removes the order meta and the saved views. */
	public function remove(): void {
		$like = '\\_syncline\\_%';
		foreach ( array( 'postmeta', 'wc_orders_meta' ) as $short ) {
			$table = $this->db->prefix() . $short;
			if ( $this->db->table_exists( $table ) ) {
				$this->db->query( "DELETE FROM {$table} WHERE meta_key LIKE %s", array( $like ) );
			}
		}
		$this->forget_views();
	}

	/** Drops the Syncline scope from each user's persisted preferences. */
	private function forget_views(): void {
		$key = $this->db->prefix() . 'persisted_preferences';
		foreach ( get_users(
			array(
				'meta_key' => $key, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- uninstall, once.
				'fields'   => 'ID',
			)
		) as $user_id ) {
			$prefs = get_user_meta( (int) $user_id, $key, true );
			if ( is_array( $prefs ) && isset( $prefs[ self::PREFERENCES_SCOPE ] ) ) {
				unset( $prefs[ self::PREFERENCES_SCOPE ] );
				update_user_meta( (int) $user_id, $key, $prefs );
			}
		}
	}
}

<?php
/**
 * The admin mappings other than SKUs: order status, payment method, tax rate, shipping method, warehouses.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;

/**
 * Rows of `{prefix}syncline_mappings` keyed by (type, wc_key). Every change is recorded in the event log
 * (event 0, kind `mapping`, details {type, wc_key, old, new}) with who and when.
 */
class Mappings {

	public const AUDIT_KIND = 'mapping';

	public const ORDER_STATUS    = 'order_status';
	public const PAYMENT_METHOD  = 'payment_method';
	public const TAX_RATE        = 'tax_rate';
	public const SHIPPING_METHOD = 'shipping_method';
	public const SHIPMENT_STATUS = 'shipment_status';

	public const TYPES = array( self::ORDER_STATUS, self::PAYMENT_METHOD, self::TAX_RATE, self::SHIPPING_METHOD, self::SHIPMENT_STATUS );

	/** The types the sidecar gets with order events. */
	public const ORDER_TYPES = array( self::ORDER_STATUS, self::PAYMENT_METHOD, self::TAX_RATE, self::SHIPPING_METHOD );

	/**
	 * Builds the store.
	 *
	 * @param Db            $db    Database.
	 * @param Clock         $clock Time.
	 * @param EventLog|null $log   Audit trail.
	 */
	public function __construct( private Db $db, private Clock $clock, private ?EventLog $log = null ) {
	}

	/**
	 * Every mapping of one type, by key.
	 *
	 * @param string $type One of TYPES.
	 * @return array<int, array{wc_key: string, erp_value: string, updated_at: int, updated_by: int}>
	 */
	public function get_all( string $type ): array {
		$table = $this->db->table( OutboxSchema::MAPPINGS );
		$rows  = $this->db->rows( "SELECT wc_key, erp_value, updated_at, updated_by FROM {$table} WHERE type = %s ORDER BY wc_key LIMIT 1000", array( $type ) );
		return array_map(
			static fn ( array $r ): array => array(
				'wc_key'     => (string) $r['wc_key'],
				'erp_value'  => (string) $r['erp_value'],
				'updated_at' => (int) $r['updated_at'],
				'updated_by' => (int) $r['updated_by'],
			),
			$rows
		);
	}

	/**
	 * One mapping's value, or null.
	 *
	 * @param string $type   Type.
	 * @param string $wc_key WooCommerce key.
	 */
	public function get( string $type, string $wc_key ): ?string {
		$table = $this->db->table( OutboxSchema::MAPPINGS );
		$rows  = $this->db->rows( "SELECT erp_value FROM {$table} WHERE type = %s AND wc_key = %s", array( $type, $wc_key ) );
		return isset( $rows[0] ) ? (string) $rows[0]['erp_value'] : null;
	}

	/**
	 * Sets (or replaces) one mapping; audits a change.
	 *
	 * @param string $type      Type.
	 * @param string $wc_key    WooCommerce key.
	 * @param string $erp_value ERP value.
	 */
	public function set( string $type, string $wc_key, string $erp_value ): void {
		$before = $this->get( $type, $wc_key );
		$table  = $this->db->table( OutboxSchema::MAPPINGS );
		$this->db->query(
			"INSERT INTO {$table} (type, wc_key, erp_value, updated_at, updated_by) VALUES (%s, %s, %s, %d, %d)
			ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value), updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)",
			array( $type, $wc_key, $erp_value, $this->clock->now(), get_current_user_id() )
		);
		if ( $before !== $erp_value ) {
			$this->audit( $type, $wc_key, $before, $erp_value );
		}
	}

	/**
	 * Removes one mapping; audits it when it existed.
	 *
	 * @param string $type   Type.
	 * @param string $wc_key WooCommerce key.
	 * @return bool Whether it existed.
	 */
	public function delete( string $type, string $wc_key ): bool {
		$before = $this->get( $type, $wc_key );
		if ( null === $before ) {
			return false;
		}
		$table = $this->db->table( OutboxSchema::MAPPINGS );
		$this->db->query( "DELETE FROM {$table} WHERE type = %s AND wc_key = %s", array( $type, $wc_key ) );
		$this->audit( $type, $wc_key, $before, null );
		return true;
	}

	/** When invoices are made (issue 8): `capture` or `completion`, field `invoice_at` of the settings option. */
	public const INVOICE_AT = array( 'capture', 'completion' );

	/**
	 * The finance settings the sidecar needs with an order (sent as `mappings.settings`).
	 *
	 * @return array{invoice_at: string}
	 */
	public static function order_settings(): array {
		$stored = get_option( Options::SETTINGS, array() );
		return array( 'invoice_at' => self::invoice_at_of( is_array( $stored ) ? $stored : array() ) );
	}

	/**
	 * When the ERP invoice is made, as stored in some settings: `capture` or `completion` (the default).
	 *
	 * @param array<string, mixed> $settings Stored settings.
	 */
	public static function invoice_at_of( array $settings ): string {
		$value = (string) ( $settings['invoice_at'] ?? '' );
		return in_array( $value, self::INVOICE_AT, true ) ? $value : 'completion';
	}

	/**
	 * The maps the sidecar needs with an order (one query; Leases reads it once per lease batch), and `settings`.
	 *
	 * @return array<string, array<string, string>> type → (wc_key → erp_value), every ORDER_TYPES key present, then `settings`.
	 */
	public function for_orders(): array {
		$out   = array_fill_keys( self::ORDER_TYPES, array() );
		$table = $this->db->table( OutboxSchema::MAPPINGS );
		$marks = implode( ',', array_fill( 0, count( self::ORDER_TYPES ), '%s' ) );
		foreach ( $this->db->rows( "SELECT type, wc_key, erp_value FROM {$table} WHERE type IN ({$marks}) LIMIT 5000", self::ORDER_TYPES ) as $r ) {
			$out[ (string) $r['type'] ][ (string) $r['wc_key'] ] = (string) $r['erp_value'];
		}
		$out['settings'] = self::order_settings();
		return $out;
	}

	/**
	 * Records one change.
	 *
	 * @param string      $type   Type.
	 * @param string      $wc_key Key.
	 * @param string|null $old    Previous value (null: none).
	 * @param string|null $new    New value (null: removed).
	 */
	private function audit( string $type, string $wc_key, ?string $old, ?string $new ): void {
		$this->log?->add(
			0,
			self::AUDIT_KIND,
			$type . ' ' . $wc_key . ': ' . ( $old ?? '∅' ) . ' → ' . ( $new ?? '∅' ),
			array(
				'type'   => $type,
				'wc_key' => $wc_key,
				'old'    => $old,
				'new'    => $new,
			)
		);
	}
}

<?php
/**
 * Table definitions of stock (ATS) sync.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

/**
 * Columns of the in-flight table and the per-SKU apply state (dbDelta-compatible), used by OutboxSchema.
 */
final class StockTables {

	public const INFLIGHT    = 'inflight';
	public const STOCK_STATE = 'stock_state';

	/**
	 * Store orders that reduced WooCommerce stock, per SKU, until the ERP counts them (see ARCHITECTURE "Stock (ATS)").
	 * Times are Unix milliseconds on WordPress's clock.
	 */
	public const INFLIGHT_COLUMNS = 'order_id bigint(20) unsigned NOT NULL,
sku varchar(191) NOT NULL,
qty int(11) NOT NULL,
state varchar(16) NOT NULL DEFAULT \'reduced\',
reduced_at bigint(20) unsigned NOT NULL,
counted_at bigint(20) unsigned DEFAULT NULL,
PRIMARY KEY  (order_id,sku),
KEY sku_counted (sku,counted_at),
KEY sku_state (sku,state)';

	/**
	 * The last ERP reading applied per SKU (Unix milliseconds of the ERP read).
	 */
	public const STATE_COLUMNS = 'sku varchar(191) NOT NULL,
last_erp_ats bigint(20) NOT NULL,
last_read_at bigint(20) unsigned NOT NULL,
applied_at bigint(20) unsigned NOT NULL,
PRIMARY KEY  (sku)';

	/**
	 * Columns of a table, or null when it is not a stock table.
	 *
	 * @param string $short Short table name.
	 */
	public static function columns( string $short ): ?string {
		return match ( $short ) {
			self::INFLIGHT => self::INFLIGHT_COLUMNS,
			self::STOCK_STATE => self::STATE_COLUMNS,
			default => null,
		};
	}

	/**
	 * Now in Unix milliseconds.
	 */
	public static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}
}

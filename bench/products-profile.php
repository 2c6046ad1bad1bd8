<?php
/**
 * Where WC_Product::save() spends its time when master data changes (run by bench/products-profile.ts through
 * `wp eval-file`; never shipped). Creates PROFILE_N simple products, then changes name and regular price of each
 * and saves them the way ProductsApplier does, once with WooCommerce as it is and once through ProductsApplier's
 * own path. Prints one JSON object: wall time, queries by caller (SAVEQUERIES), inclusive time per action.
 *
 * @package Syncline
 */

// phpcs:disable -- a benchmark probe, not plugin code.

WP_CLI::add_command( 'syncline-products-profile', 'syncline_products_profile' );

/** The probe. */
function syncline_products_profile(): void {

global $wpdb;
$n      = (int) ( getenv( 'PROFILE_N' ) ?: 200 );
$prefix = 'PF-' . substr( md5( (string) microtime( true ) ), 0, 6 ) . '-';
$ids    = array();
for ( $i = 0; $i < $n; $i++ ) {
	$p = new WC_Product_Simple();
	$p->set_name( $prefix . $i );
	$p->set_sku( $prefix . $i );
	$p->set_regular_price( '10' );
	$p->set_manage_stock( true );
	$p->set_stock_quantity( 5 );
	$p->set_status( 'publish' );
	$ids[] = $p->save();
}
wp_cache_flush();

/** Inclusive time per action: start when `all` announces it, end at its last callback. */
$GLOBALS['pf_t']     = array();
$GLOBALS['pf_stack'] = array();
$GLOBALS['pf_on']    = false;
$GLOBALS['pf_seen']  = array();
add_action(
	'all',
	static function ( $hook ) {
		// An action: do_action() counted it just before calling `all` (filters are not timed).
		$count = $GLOBALS['wp_actions'][ $hook ] ?? 0;
		$seen  = $GLOBALS['pf_seen'][ $hook ] ?? 0;
		$GLOBALS['pf_seen'][ $hook ] = $count;
		if ( ! $GLOBALS['pf_on'] || $count === $seen ) {
			return;
		}
		$GLOBALS['pf_stack'][ $hook ][] = microtime( true );
		if ( ! has_action( $hook, 'pf_end' ) ) {
			add_action( $hook, 'pf_end', PHP_INT_MAX, 1 );
		}
	}
);
pf_run( $ids );
}

/**
 * The passes.
 *
 * @param array<int, int> $ids Product ids.
 */
function pf_run( array $ids ): void {
global $wpdb;
/** Runs one pass; returns its figures. */
$pass = static function ( string $label, callable $save ) use ( $ids, $wpdb ): array {
	wp_cache_flush();
	_prime_post_caches( $ids, false, true );
	$wpdb->queries       = array();
	$GLOBALS['pf_t']     = array();
	$GLOBALS['pf_stack'] = array();
	$q0                  = $wpdb->num_queries;
	$GLOBALS['pf_on']    = true;
	$t0                  = microtime( true );
	$save( $ids, $label );
	$wall             = microtime( true ) - $t0;
	$GLOBALS['pf_on'] = false;
	$by               = array();
	$db               = 0.0;
	foreach ( $wpdb->queries as $q ) {
		$db    += $q[1];
		$frames = array_map( 'trim', explode( ',', (string) $q[2] ) );
		$keep   = array_values( array_filter( $frames, static fn ( $f ) => ! preg_match( '/^(wpdb->|WP_Hook->|do_action|apply_filters|require|include|WP_CLI|eval|Syncline\\\\Products\\\\ProductsApplier|{closure})/', $f ) ) );
		$key    = implode( ' < ', array_slice( array_reverse( $keep ), 0, 3 ) );
		$by[ $key ]['n']  = ( $by[ $key ]['n'] ?? 0 ) + 1;
		$by[ $key ]['ms'] = ( $by[ $key ]['ms'] ?? 0 ) + $q[1] * 1000;
		$by[ $key ]['at'] = implode( ' < ', array_slice( array_reverse( $keep ), 0, 9 ) );
	}
	uasort( $by, static fn ( $a, $b ) => $b['n'] <=> $a['n'] );
	$hooks = $GLOBALS['pf_t'];
	arsort( $hooks );
	return array(
		'pass'             => $label,
		'products'         => count( $ids ),
		'wall_ms'          => round( $wall * 1000 ),
		'per_product_ms'   => round( $wall * 1000 / count( $ids ), 2 ),
		'queries'          => $wpdb->num_queries - $q0,
		'queries_per_prod' => round( ( $wpdb->num_queries - $q0 ) / count( $ids ), 1 ),
		'db_ms'            => round( $db * 1000 ),
		'top_queries'      => array_map( static fn ( $v ) => array( 'n' => $v['n'], 'ms' => round( $v['ms'] ), 'at' => $v['at'] ), array_slice( $by, 0, 25, true ) ),
		'top_hooks_ms'     => array_map( static fn ( $v ) => round( $v * 1000 ), array_slice( $hooks, 0, 30, true ) ),
	);
};

$out   = array();
$mode  = getenv( 'PROFILE_MODE' ) ?: 'both';
if ( 'both' === $mode || 'plain' === $mode ) {
	$out[] = $pass(
		'plain WC_Product::save()',
		static function ( array $ids, string $label ) {
			wp_defer_term_counting( true );
			foreach ( $ids as $id ) {
				$p = wc_get_product( $id );
				$p->set_name( $p->get_name() . ' v2' );
				$p->set_regular_price( (string) ( (float) $p->get_regular_price() + 1.5 ) );
				$p->save();
			}
			wp_defer_term_counting( false );
		}
	);
}
if ( 'both' === $mode || 'applier' === $mode ) {
	$out[] = $pass(
		'Syncline ProductsApplier',
		static function ( array $ids ) {
			$db      = new \Syncline\Infrastructure\Db( $GLOBALS['wpdb'] );
			$options = new \Syncline\Infrastructure\Options();
			$clock   = new \Syncline\Infrastructure\Clock();
			$log     = new \Syncline\Outbox\EventLog( $db, $clock );
			$writer  = new \Syncline\Outbox\OutboxWriter( $db, $options, $clock );
			$set     = new \Syncline\Products\ProductsSettings( $options );
			$plugin  = new \Syncline\Products\ProductsApplier(
				$db,
				new \Syncline\Stock\StoreProducts( $db ),
				new \Syncline\Products\ProductExceptions( $db, $writer, $clock, $log ),
				new \Syncline\Products\ProductsContext( $db, $options, new \Syncline\Outbox\Mappings( $db, $clock, $log ), $set ),
				$set,
				new \Syncline\Products\SyncRequests( $options, $writer, new \Syncline\Outbox\SkuMap( $db, $clock, $log ) )
			);
			$items  = array();
			foreach ( $ids as $id ) {
				$p       = wc_get_product( $id );
				$items[] = array(
					'ref'           => $p->get_sku(),
					'name'          => $p->get_name() . ' v3',
					'regular_price' => (string) ( (float) $p->get_regular_price() + 1.5 ),
				);
			}
			foreach ( array_chunk( $items, 200 ) as $chunk ) {
				$plugin->apply( array( 'items' => $chunk, 'exceptions' => array(), 'dry_run' => false, 'request' => 0, 'cursor' => '' ) );
			}
		}
	);
}
echo wp_json_encode( $out, JSON_PRETTY_PRINT ), "\n";
}

/**
 * End of an action's callbacks.
 *
 * @param mixed $value Filter value (actions: the first argument).
 */
function pf_end( $value = null ) {
	$hook = current_filter();
	$t0   = array_pop( $GLOBALS['pf_stack'][ $hook ] );
	if ( null !== $t0 ) {
		$GLOBALS['pf_t'][ $hook ] = ( $GLOBALS['pf_t'][ $hook ] ?? 0 ) + ( microtime( true ) - $t0 );
	}
	return $value;
}

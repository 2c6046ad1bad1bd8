<?php
/**
 * The scope of one batch of product saves: the per-save work WooCommerce lets a bulk writer defer, deferred.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Products;

/**
 * Measured (bench/products-profile.ts, SAVEQUERIES): a WC_Product::save() that changes a name and a price runs ~53
 * queries. Inside a batch, three kinds of them are repeated work with the same outcome:
 * - global caches cleared once per product (`wc_products_onsale`, `wc_featured_products`, the stock counts of
 *   WooCommerce Admin, brands' layered nav counts, the multi-author flag): WooCommerce's own transient deferrer
 *   (`ProductTransientsDeferrer`, used by its batch REST controllers) collects the product ids and clears every
 *   global transient once, the product-specific ones per product, and fires `woocommerce_delete_product_transients`
 *   per product as before; the three idempotent global invalidations hooked on each save (WooCommerce Admin's
 *   stock counts, brands' nav counts, WordPress's multi-author flag) are taken off their hooks for the batch and run
 *   once at its end;
 * - deletes of meta that does not exist (WooCommerce "deletes" every empty prop whose meta is missing on each save,
 *   16 per simple product): answered "nothing deleted" from the object's meta cache (loaded in one query when
 *   absent; WordPress clears it on every meta write, so it is never stale here) instead of one SELECT each;
 * - the search for trashed posts holding the slug (a `get_posts` per save, the most expensive query of a save)
 *   when the product keeps the slug it already has;
 * - the deferred transient clearing reads each product again: their posts, terms and meta are primed in a few
 *   queries first.
 * Everything product-specific still happens per save: the post, its meta, lookup table, product caches and every
 * hook (`woocommerce_update_product` included). end() runs in a finally: the hooks are always put back.
 */
final class SaveBatch {

	/** Idempotent global invalidations run once per batch instead of once per saved product: hook, class, method. */
	private const COALESCED = array(
		array( 'woocommerce_update_product', 'Automattic\\WooCommerce\\Admin\\ReportsSync', 'clear_stock_count_cache' ),
		array( 'woocommerce_update_product', 'WC_Brands', 'invalidate_wc_layered_nav_counts_cache' ),
		array( 'transition_post_status', '', '__clear_multi_author_cache' ),
	);

	/**
	 * Callbacks taken off their hooks: hook, callback, priority, accepted args.
	 *
	 * @var array<int, array{0: string, 1: callable, 2: int, 3: int}>
	 */
	private array $suspended = array();

	/**
	 * WooCommerce's transient deferrer, when this WooCommerce has one.
	 *
	 * @var object|null
	 */
	private ?object $deferrer = null;

	/**
	 * Ids of the products saved in the batch.
	 *
	 * @var array<int, true>
	 */
	private array $saved = array();

	/**
	 * The post meta filter (kept to remove it).
	 *
	 * @var \Closure
	 */
	private \Closure $post_meta;

	/**
	 * The term meta filter.
	 *
	 * @var \Closure
	 */
	private \Closure $term_meta;

	/**
	 * The trashed-suffix filter.
	 *
	 * @var \Closure
	 */
	private \Closure $trashed;

	/** Starts the batch. */
	public function begin(): void {
		$class = 'Automattic\\WooCommerce\\Internal\\Caches\\ProductTransientsDeferrer'; // WooCommerce 9.9+; absent from the stubs.
		if ( function_exists( 'wc_get_container' ) && class_exists( $class ) ) {
			$deferrer = wc_get_container()->get( $class ); // @phpstan-ignore argument.type (a class of WooCommerce the stubs lack)
			if ( is_object( $deferrer ) && method_exists( $deferrer, 'start_deferring' ) && method_exists( $deferrer, 'stop_deferring' ) ) {
				$this->deferrer = $deferrer;
				$deferrer->start_deferring();
			}
		}
		foreach ( self::COALESCED as list( $hook, $class_name, $method ) ) {
			$this->suspend( $hook, $class_name, $method );
		}
		$this->post_meta = fn ( $check, $id, $key, $value, $all ) => self::absent_delete( 'post', $check, $id, $key, $all );
		$this->term_meta = fn ( $check, $id, $key, $value, $all ) => self::absent_delete( 'term', $check, $id, $key, $all );
		$this->trashed   = static fn ( $add, $name, $id ) => $add && ! self::same_slug( $name, $id );
		add_filter( 'delete_post_metadata', $this->post_meta, PHP_INT_MAX, 5 );
		add_filter( 'delete_term_metadata', $this->term_meta, PHP_INT_MAX, 5 );
		add_filter( 'add_trashed_suffix_to_trashed_posts', $this->trashed, PHP_INT_MAX, 3 );
	}

	/**
	 * Notes that a product was saved (the global invalidations then run at the end).
	 *
	 * @param int $id Product id.
	 */
	public function saved( int $id ): void {
		$this->saved[ $id ] = true;
	}

	/**
	 * Ends the batch: every hook back first, then the coalesced invalidations once and the deferred transients
	 * cleared (in a finally, so the deferrer stops even when an invalidation throws).
	 */
	public function end(): void {
		remove_filter( 'delete_post_metadata', $this->post_meta, PHP_INT_MAX );
		remove_filter( 'delete_term_metadata', $this->term_meta, PHP_INT_MAX );
		remove_filter( 'add_trashed_suffix_to_trashed_posts', $this->trashed, PHP_INT_MAX );
		$suspended       = $this->suspended;
		$saved           = array_keys( $this->saved );
		$deferrer        = $this->deferrer;
		$this->suspended = array();
		$this->saved     = array();
		$this->deferrer  = null;
		foreach ( $suspended as list( $hook, $callback, $priority, $args ) ) {
			add_action( $hook, $callback, $priority, $args );
		}
		try {
			foreach ( array() !== $saved ? $suspended : array() as list( , $callback, , $args ) ) {
				call_user_func_array( $callback, array_fill( 0, $args, null ) );
			}
		} finally {
			if ( null !== $deferrer && method_exists( $deferrer, 'stop_deferring' ) ) {
				// The deferred clearing reads each product again: posts, terms and meta in a few queries, not per product.
				if ( array() !== $saved ) {
					_prime_post_caches( $saved, true, true );
				}
				$deferrer->stop_deferring();
			}
		}
	}

	/**
	 * Whether a post keeps the slug it has (then no trashed post can be holding it for this post: WordPress renames
	 * a trashed post's slug when it is trashed, and looks for one only when a slug is taken anew).
	 *
	 * @param mixed $name Slug being saved.
	 * @param mixed $id   Post id.
	 */
	private static function same_slug( $name, $id ): bool {
		$post = is_numeric( $id ) && (int) $id > 0 ? get_post( (int) $id ) : null;
		return $post instanceof \WP_Post && is_string( $name ) && '' !== $name && $post->post_name === $name;
	}

	/**
	 * Takes a callback off a hook for the batch (when it is there).
	 *
	 * @param string $hook       Hook.
	 * @param string $class_name Class of the callback ('' for a function).
	 * @param string $method     Method or function name.
	 */
	private function suspend( string $hook, string $class_name, string $method ): void {
		global $wp_filter;
		if ( ! isset( $wp_filter[ $hook ] ) || ! $wp_filter[ $hook ] instanceof \WP_Hook ) {
			return;
		}
		foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $entry ) {
				$fn = $entry['function'];
				if ( self::matches( $fn, $class_name, $method ) ) {
					remove_action( $hook, $fn, (int) $priority );
					$this->suspended[] = array( $hook, $fn, (int) $priority, (int) $entry['accepted_args'] );
				}
			}
		}
	}

	/**
	 * Whether a hooked callback is the one named.
	 *
	 * @param mixed  $fn         Callback.
	 * @param string $class_name Class ('' for a function).
	 * @param string $method     Method or function.
	 */
	private static function matches( $fn, string $class_name, string $method ): bool {
		if ( '' === $class_name ) {
			return $fn === $method;
		}
		if ( is_string( $fn ) ) {
			return $fn === $class_name . '::' . $method;
		}
		if ( ! is_array( $fn ) || 2 !== count( $fn ) || $fn[1] !== $method ) {
			return false;
		}
		return is_object( $fn[0] ) ? $fn[0] instanceof $class_name : $fn[0] === $class_name;
	}

	/**
	 * "Nothing deleted" for a meta key the object does not have (its meta cache says so), else WordPress decides.
	 *
	 * @param string $type  Meta type (post, term).
	 * @param mixed  $check Earlier filters' answer.
	 * @param mixed  $id    Object id.
	 * @param mixed  $key   Meta key.
	 * @param mixed  $all   Delete for every object.
	 * @return mixed
	 */
	private static function absent_delete( string $type, $check, $id, $key, $all ) {
		if ( null !== $check || $all || ! is_numeric( $id ) || (int) $id <= 0 || ! is_string( $key ) ) {
			return $check;
		}
		$cache = wp_cache_get( (int) $id, $type . '_meta' );
		if ( false === $cache ) {
			update_meta_cache( $type, array( (int) $id ) );
			$cache = wp_cache_get( (int) $id, $type . '_meta' );
		}
		return is_array( $cache ) && ! isset( $cache[ $key ] ) ? false : $check;
	}
}

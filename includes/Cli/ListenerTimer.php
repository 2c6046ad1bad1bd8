<?php
/**
 * Times Syncline's own listeners while WooCommerce fires its real actions.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

/**
 * Swaps each registered callback of the given actions whose closure belongs to one of the given classes (Syncline's
 * OrderHooks, StockHooks) for a wrapper that times it (wall clock and $wpdb queries) and calls it. Every other
 * listener (WooCommerce's own, other plugins') runs untimed. restore() puts the original callbacks back.
 */
final class ListenerTimer {

	/**
	 * Per timed call: [action, wall µs, queries, CPU µs of this process].
	 *
	 * @var array<int, array{0: string, 1: float, 2: int, 3: float}>
	 */
	private array $calls = array();

	/**
	 * Original callbacks: [action, priority, key, callable].
	 *
	 * @var array<int, array{0: string, 1: int, 2: string, 3: callable}>
	 */
	private array $swapped = array();

	/**
	 * Wraps Syncline's listeners of some actions.
	 *
	 * @param array<int, string> $actions Action names.
	 * @param array<int, string> $owners  Classes whose closures are timed.
	 * @return int How many listeners are timed.
	 */
	public function wrap( array $actions, array $owners ): int {
		global $wp_filter, $wpdb;
		foreach ( $actions as $action ) {
			if ( ! isset( $wp_filter[ $action ] ) ) {
				continue;
			}
			foreach ( $wp_filter[ $action ]->callbacks as $priority => $callbacks ) {
				foreach ( $callbacks as $key => $callback ) {
					$inner = $callback['function'];
					if ( ! $inner instanceof \Closure || ! self::owned_by( $inner, $owners ) ) {
						continue;
					}
					$this->swapped[] = array( $action, (int) $priority, (string) $key, $inner );
					$wp_filter[ $action ]->callbacks[ $priority ][ $key ]['function'] = function ( ...$args ) use ( $action, $inner, $wpdb ) {
						$queries = (int) $wpdb->num_queries;
						$cpu     = self::cpu_us();
						$t0      = hrtime( true );
						$inner( ...$args );
						$wall          = ( hrtime( true ) - $t0 ) / 1000;
						$this->calls[] = array( $action, $wall, (int) $wpdb->num_queries - $queries, self::cpu_us() - $cpu );
					};
				}
			}
		}
		return count( $this->swapped );
	}

	/** Puts the original callbacks back. */
	public function restore(): void {
		global $wp_filter;
		foreach ( $this->swapped as [ $action, $priority, $key, $inner ] ) {
			$wp_filter[ $action ]->callbacks[ $priority ][ $key ]['function'] = $inner;
		}
		$this->swapped = array();
	}

	/**
	 * The timed calls since the last take(), and forgets them.
	 *
	 * @return array<int, array{0: string, 1: float, 2: int, 3: float}>
	 */
	public function take(): array {
		$calls       = $this->calls;
		$this->calls = array();
		return $calls;
	}

	/**
	 * CPU time (user + system) this process has used, in µs: what a call costs here, without the time spent
	 * waiting for the database or for a CPU on a busy machine. One getrusage() (a few µs) is inside each window.
	 */
	public static function cpu_us(): float {
		$r = getrusage();
		return ( $r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec'] ) * 1e6 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec'];
	}

	/**
	 * Whether a closure was created inside an instance of one of the classes.
	 *
	 * @param \Closure           $closure Closure.
	 * @param array<int, string> $owners  Classes.
	 */
	private static function owned_by( \Closure $closure, array $owners ): bool {
		$self = ( new \ReflectionFunction( $closure ) )->getClosureThis();
		foreach ( $owners as $owner ) {
			if ( $self instanceof $owner ) {
				return true;
			}
		}
		return false;
	}
}

<?php
/**
 * Time, behind a seam so tests can move it.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Infrastructure;

/**
 * Unix time in seconds; tests may pin or shift it.
 */
class Clock {

	/**
	 * Seconds added to the real time (tests only).
	 *
	 * @var int
	 */
	private int $offset = 0;

	/**
	 * Current Unix time in seconds.
	 */
	public function now(): int {
		return time() + $this->offset;
	}

	/**
	 * Moves this clock forward (or back) by some seconds.
	 *
	 * @param int $seconds Seconds to add.
	 */
	public function shift( int $seconds ): void {
		$this->offset += $seconds;
	}

	/**
	 * Sleeps some milliseconds (the long-poll uses it).
	 *
	 * @param int $ms Milliseconds.
	 */
	public function sleep_ms( int $ms ): void {
		usleep( $ms * 1000 );
	}
}

<?php
/**
 * One recurring Syncline job: its hook, its interval setting and what it does.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Hooks;

/**
 * The interval is a Settings field in whole units (minutes or hours) within [min, max]; invalid or missing values
 * fall back to the default. The job itself only enqueues work for the sidecar and returns a short summary.
 */
final class ScheduledJob {

	/**
	 * Builds the job.
	 *
	 * @param string   $hook     Cron hook (also the name of its WP-Cron interval).
	 * @param string   $field    Settings field holding the interval.
	 * @param int      $unit     Seconds per unit of the field (60: minutes, 3600: hours).
	 * @param int      $default  Default interval in units.
	 * @param int      $min      Smallest interval in units.
	 * @param int      $max      Largest interval in units.
	 * @param string   $label    What it does, for WP-Cron's schedule list (a name, not translated: jobs are built before
	 *                           translations may load).
	 * @param \Closure $work     Enqueues the work; returns a summary.
	 */
	public function __construct(
		public readonly string $hook,
		public readonly string $field,
		public readonly int $unit,
		public readonly int $default,
		public readonly int $min,
		public readonly int $max,
		public readonly string $label,
		public readonly \Closure $work
	) {
	}

	/**
	 * The interval in units stored in some settings (the default when missing or invalid).
	 *
	 * @param mixed $settings Stored settings.
	 */
	public function units_of( $settings ): int {
		$value = is_array( $settings ) ? ( $settings[ $this->field ] ?? null ) : null;
		return $this->valid( $value ) ? (int) $value : $this->default;
	}

	/**
	 * Whether a value is a valid interval (an integer, or a string of digits, within [min, max]).
	 *
	 * @param mixed $value Candidate.
	 */
	public function valid( $value ): bool {
		if ( is_string( $value ) && 1 === preg_match( '/^\s*\d{1,6}\s*$/', $value ) ) {
			$value = (int) $value;
		}
		return is_int( $value ) && $value >= $this->min && $value <= $this->max;
	}

	/** The rule, for an error message. */
	public function rule(): string {
		/* translators: 1: settings field, 2: minimum, 3: maximum, 4: unit. */
		return sprintf( __( '%1$s must be a whole number from %2$d to %3$d (%4$s).', 'syncline' ), $this->field, $this->min, $this->max, 3600 === $this->unit ? __( 'hours', 'syncline' ) : __( 'minutes', 'syncline' ) );
	}
}

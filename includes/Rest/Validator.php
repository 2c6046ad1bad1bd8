<?php
/**
 * Field-by-field validation of decoded JSON bodies.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use Syncline\Exception\InvalidRequest;

/**
 * Collects one message per invalid field, then throws them all at once (nothing is changed before that).
 */
final class Validator {

	/**
	 * Messages per field path.
	 *
	 * @var array<string, string>
	 */
	private array $errors = array();

	/**
	 * An integer in a range (JSON integers only, no strings or floats).
	 *
	 * @param array<mixed> $data    Object.
	 * @param string       $field   Key.
	 * @param int          $min     Minimum.
	 * @param int          $max     Maximum.
	 * @param int|null     $default Value when absent (null: required).
	 * @param string       $path    Path prefix for messages.
	 */
	public function int( array $data, string $field, int $min, int $max, ?int $default = null, string $path = '' ): int {
		if ( ! array_key_exists( $field, $data ) && null !== $default ) {
			return $default;
		}
		$value = $data[ $field ] ?? null;
		if ( ! is_int( $value ) || $value < $min || $value > $max ) {
			/* translators: 1: minimum, 2: maximum. */
			$this->errors[ $path . $field ] = sprintf( __( 'must be an integer from %1$d to %2$d', 'syncline' ), $min, $max );
			return $min;
		}
		return $value;
	}

	/**
	 * A string with a length range and an optional pattern.
	 *
	 * @param array<mixed> $data     Object.
	 * @param string       $field    Key.
	 * @param int          $min      Minimum length.
	 * @param int          $max      Maximum length.
	 * @param string|null  $pattern  PCRE the value must match.
	 * @param bool         $required Whether it must be present.
	 * @param string       $path     Path prefix for messages.
	 */
	public function string( array $data, string $field, int $min, int $max, ?string $pattern = null, bool $required = true, string $path = '' ): string {
		if ( ! $required && ! array_key_exists( $field, $data ) ) {
			return '';
		}
		$value = $data[ $field ] ?? null;
		$ok    = is_string( $value ) && mb_strlen( $value ) >= $min && mb_strlen( $value ) <= $max;
		if ( ! $ok || ( null !== $pattern && 1 !== preg_match( $pattern, (string) $value ) ) ) {
			/* translators: 1: minimum length, 2: maximum length. */
			$this->errors[ $path . $field ] = sprintf( __( 'must be a string of %1$d to %2$d allowed characters', 'syncline' ), $min, $max );
			return '';
		}
		return (string) $value;
	}

	/**
	 * One of some strings.
	 *
	 * @param array<mixed>       $data    Object.
	 * @param string             $field   Key.
	 * @param array<int, string> $allowed Allowed values.
	 * @param string             $path    Path prefix for messages.
	 */
	public function enum( array $data, string $field, array $allowed, string $path = '' ): string {
		$value = $data[ $field ] ?? null;
		if ( ! is_string( $value ) || ! in_array( $value, $allowed, true ) ) {
			/* translators: %s: allowed values. */
			$this->errors[ $path . $field ] = sprintf( __( 'must be one of: %s', 'syncline' ), implode( ', ', $allowed ) );
			return '';
		}
		return $value;
	}

	/**
	 * A JSON object (decoded as an associative array, possibly empty).
	 *
	 * @param array<mixed> $data     Object.
	 * @param string       $field    Key.
	 * @param bool         $required Whether it must be present.
	 * @param string       $path     Path prefix for messages.
	 * @return array<mixed>
	 */
	public function object( array $data, string $field, bool $required = true, string $path = '' ): array {
		if ( ! $required && ! array_key_exists( $field, $data ) ) {
			return array();
		}
		$value = $data[ $field ] ?? null;
		if ( ! is_array( $value ) || ( array() !== $value && array_is_list( $value ) ) ) {
			$this->errors[ $path . $field ] = __( 'must be an object', 'syncline' );
			return array();
		}
		return $value;
	}

	/**
	 * A JSON array with a length range.
	 *
	 * @param array<mixed> $data     Object.
	 * @param string       $field    Key.
	 * @param int          $min      Minimum items.
	 * @param int          $max      Maximum items.
	 * @param bool         $required Whether it must be present.
	 * @param string       $path     Path prefix for messages.
	 * @return array<int, mixed>
	 */
	public function list( array $data, string $field, int $min, int $max, bool $required = true, string $path = '' ): array {
		if ( ! $required && ! array_key_exists( $field, $data ) ) {
			return array();
		}
		$value = $data[ $field ] ?? null;
		if ( ! is_array( $value ) || ! array_is_list( $value ) || count( $value ) < $min || count( $value ) > $max ) {
			/* translators: 1: minimum, 2: maximum. */
			$this->errors[ $path . $field ] = sprintf( __( 'must be an array of %1$d to %2$d items', 'syncline' ), $min, $max );
			return array();
		}
		return $value;
	}

	/**
	 * Records a custom error.
	 *
	 * @param string $field   Field path.
	 * @param string $message Message.
	 */
	public function fail( string $field, string $message ): void {
		$this->errors[ $field ] = $message;
	}

	/**
	 * Throws when any field was invalid.
	 *
	 * @throws InvalidRequest With every field's message.
	 */
	public function check(): void {
		if ( array() !== $this->errors ) {
			throw InvalidRequest::fields( $this->errors );
		}
	}
}

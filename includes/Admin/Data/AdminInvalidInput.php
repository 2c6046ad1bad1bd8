<?php
/**
 * Invalid input from the admin screen; carries field-level messages.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

/**
 * Thrown by admin services; the REST funnel turns it into 400 with `data.errors` = {field: message}.
 */
final class AdminInvalidInput extends \InvalidArgumentException {

	/**
	 * Field → message.
	 *
	 * @var array<string, string>
	 */
	public array $fields;

	/**
	 * Builds the exception.
	 *
	 * @param string                $message Summary.
	 * @param array<string, string> $fields  Field → message.
	 */
	public function __construct( string $message, array $fields = array() ) {
		parent::__construct( $message );
		$this->fields = $fields;
	}
}

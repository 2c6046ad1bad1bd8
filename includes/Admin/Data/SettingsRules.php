<?php
/**
 * The Settings fields of the ATS rules and the master data field ownership.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Products\ProductsSettings;
use Syncline\Stock\AtsSettings;

/**
 * Part of SettingsStore::save(): checks `ats_channel`, `ats_rules`, `products_owned_fields` and
 * `products_create_missing` (pure; the store writes what it returns once every field is valid).
 */
final class SettingsRules {

	/**
	 * The ATS rules and the master data field ownership: validated (errors added), each missing field keeping its
	 * stored value; `ats_rules: null` clears the rules (the sidecar then sells its order warehouse).
	 *
	 * @param array<string, mixed>  $input  Submitted fields.
	 * @param array<string, mixed>  $stored Stored settings.
	 * @param array<string, string> $errors Field errors (added to).
	 * @return array<string, mixed> The values to store.
	 */
	public static function validate( array $input, array $stored, array &$errors ): array {
		$rules                                = array_key_exists( 'ats_rules', $input ) ? $input['ats_rules'] : AtsSettings::rules_of( $stored );
		$channel                              = array_key_exists( 'ats_channel', $input ) ? $input['ats_channel'] : AtsSettings::channel_of( $stored );
		list( $rules, $channel, $ats_errors ) = AtsSettings::validate( $rules, $channel );
		$errors                              += $ats_errors;
		$owned                                = array_key_exists( ProductsSettings::OWNED_KEY, $input ) ? ProductsSettings::valid_owned( $input[ ProductsSettings::OWNED_KEY ] ) : ProductsSettings::owned_of( $stored );
		if ( null === $owned ) {
			/* translators: %s: the field names. */
			$errors[ ProductsSettings::OWNED_KEY ] = sprintf( __( 'Choose the fields the ERP owns among: %s.', 'syncline' ), implode( ', ', ProductsSettings::FIELDS ) );
		}
		$create = $input[ ProductsSettings::CREATE_KEY ] ?? ProductsSettings::create_missing_of( $stored );
		if ( ! is_bool( $create ) ) {
			$errors[ ProductsSettings::CREATE_KEY ] = __( 'Must be true or false.', 'syncline' );
		}
		return array(
			AtsSettings::RULES_KEY       => $rules,
			AtsSettings::CHANNEL_KEY     => $channel,
			ProductsSettings::OWNED_KEY  => $owned,
			ProductsSettings::CREATE_KEY => true === $create,
		);
	}
}

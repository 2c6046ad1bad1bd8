<?php
/**
 * The ERP connection settings (option `syncline_settings`). The API key is write-only.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

use Syncline\Exception\InvalidRequest;
use Syncline\Hooks\Schedules;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\Mappings;
use Syncline\Products\ProductsSettings;
use Syncline\Stock\AtsSettings;

/**
 * Validates and stores erp_type, erp_url, erp_api_key, erp_database and erp_login (Odoo only), warehouse_id, ref_prefix (option `syncline_settings`) and
 * the uninstall opt-in (option `syncline_delete_data_on_uninstall`, read by uninstall.php). Reading never returns
 * the key, only whether one is set. The key belongs to the ERP URL it was entered for: a new URL without a new key
 * clears it, so nobody can send the stored key to another host.
 */
final class SettingsStore {

	public const OPTION                = Options::SETTINGS;
	public const ERP_TYPES             = array( 'dolibarr', 'odoo' );
	public const ODOO_DATABASE_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/';
	public const DEFAULT_REF_PREFIX    = 'WC-';
	public const REF_PREFIX_PATTERN    = '/^[A-Za-z0-9._\/-]{1,20}$/';

	/**
	 * Builds the store.
	 *
	 * @param Options $options The options proxy.
	 */
	public function __construct( private Options $options ) {
	}

	/**
	 * The settings as the browser may see them.
	 *
	 * @return array<string, mixed>
	 */
	public function public_view(): array {
		$s = $this->raw();
		return array(
			'erp_type'                 => (string) ( $s['erp_type'] ?? 'dolibarr' ),
			'erp_url'                  => (string) ( $s['erp_url'] ?? '' ),
			'erp_database'             => (string) ( $s['erp_database'] ?? '' ),
			'erp_login'                => (string) ( $s['erp_login'] ?? '' ),
			'warehouse_id'             => isset( $s['warehouse_id'] ) ? (int) $s['warehouse_id'] : null,
			'erp_api_key_set'          => '' !== (string) ( $s['erp_api_key'] ?? '' ),
			'ref_prefix'               => self::ref_prefix_of( $s ),
			'stock_pull_minutes'       => Schedules::minutes_of( $s ),
			'delete_data_on_uninstall' => 'yes' === $this->options->get( Options::DELETE_DATA, 'no' ),
			'invoice_at'               => Mappings::invoice_at_of( $s ),
			'ats_channel'              => AtsSettings::channel_of( $s ),
			'ats_rules'                => AtsSettings::to_json( AtsSettings::rules_of( $s ) ),
			'products_owned_fields'    => ProductsSettings::owned_of( $s ),
			'products_create_missing'  => ProductsSettings::create_missing_of( $s ),
		) + array_map( static fn ( $job ) => $job->units_of( $s ), Schedules::interval_jobs() );
	}


	/**
	 * The ERP connection the sidecar uses, key included (never for the browser): the one source of truth, read by
	 * the signed POST /sidecar/connection and by `wp syncline sidecar config|start`. Null until an ERP URL is set.
	 *
	 * @param string|null $ref_prefix Order reference prefix (null: the stored one).
	 * Odoo's connection adds `database` and `login` (the shape of the sidecar's `erp` config block).
	 *
	 * @return array{type: string, url: string, api_key: string, warehouse_id: int, ref_client_prefix: string, database?: string, login?: string}|null
	 */
	public function erp_connection( ?string $ref_prefix = null ): ?array {
		$s = $this->raw();
		if ( '' === (string) ( $s['erp_url'] ?? '' ) ) {
			return null;
		}
		$type = (string) ( $s['erp_type'] ?? 'dolibarr' );
		$erp  = array(
			'type'              => $type,
			'url'               => (string) $s['erp_url'],
			'api_key'           => (string) ( $s['erp_api_key'] ?? '' ),
			'warehouse_id'      => (int) ( $s['warehouse_id'] ?? 1 ),
			'ref_client_prefix' => $ref_prefix ?? self::ref_prefix_of( $s ),
		);
		if ( 'odoo' === $type ) {
			$erp['database'] = (string) ( $s['erp_database'] ?? '' );
			$erp['login']    = (string) ( $s['erp_login'] ?? '' );
		}
		return $erp;
	}

	/**
	 * The sidecar's `stock` block as Settings hold it: the channel WooCommerce sells as, and the ATS rules (null
	 * when never saved: the sidecar then sells its order warehouse on that channel).
	 *
	 * @return array{channel: string, rules: array<string, mixed>|null}
	 */
	public function stock_rules(): array {
		$s = $this->raw();
		return array(
			'channel' => AtsSettings::channel_of( $s ),
			'rules'   => AtsSettings::to_json( AtsSettings::rules_of( $s ) ),
		);
	}

	/**
	 * The ERP's name as people know it ("Dolibarr", "Odoo"); the type itself when unknown.
	 *
	 * @param string $type An ERP type (`dolibarr`, `odoo`).
	 */
	public static function erp_label( string $type ): string {
		$labels = array(
			'dolibarr' => 'Dolibarr',
			'odoo'     => 'Odoo',
		);
		return $labels[ strtolower( $type ) ] ?? $type;
	}

	/** What a valid order reference prefix is (the field message of the Settings form and the CLI). */
	public static function ref_prefix_rule(): string {
		return __( 'The order reference prefix is 1 to 20 characters: letters, digits, . _ / -', 'syncline' );
	}

	/** What a valid stock pull interval is (the field message). */
	public static function stock_pull_rule(): string {
		/* translators: 1: minimum, 2: maximum. */
		return sprintf( __( 'The stock pull interval is a whole number of minutes from %1$d to %2$d.', 'syncline' ), Schedules::MIN_MINUTES, Schedules::MAX_MINUTES );
	}

	/**
	 * The ERP order reference prefix stored in some settings (the default when none is).
	 *
	 * @param array<string, mixed> $settings Stored settings.
	 */
	public static function ref_prefix_of( array $settings ): string {
		$prefix = (string) ( $settings['ref_prefix'] ?? '' );
		return 1 === preg_match( self::REF_PREFIX_PATTERN, $prefix ) ? $prefix : self::DEFAULT_REF_PREFIX;
	}

	/**
	 * Validates every field, then saves. An empty or missing erp_api_key keeps the stored key, unless the ERP URL
	 * changed: then the stored key is cleared and `notices.erp_api_key` says so. Missing ref_prefix, invoice_at,
	 * stock_pull_minutes, reconcile_hours and delete_data_on_uninstall keep their stored values.
	 *
	 * @param array<string, mixed> $input Submitted fields.
	 * @return array<string, mixed>
	 * @throws InvalidRequest With one message per bad field.
	 */
	public function save( array $input ): array {
		$errors = array();
		$type   = (string) ( $input['erp_type'] ?? 'dolibarr' );
		if ( ! in_array( $type, self::ERP_TYPES, true ) ) {
			$errors['erp_type'] = __( 'Choose a supported ERP.', 'syncline' );
		}
		$url = trim( (string) ( $input['erp_url'] ?? '' ) );
		if ( ! self::is_http_url( $url ) ) {
			$errors['erp_url'] = 'odoo' === $type
				? __( 'Enter a full http:// or https:// URL, the Odoo site root, for example https://odoo.example.com.', 'syncline' )
				: __( 'Enter a full http:// or https:// URL, for example https://erp.example.com/api/index.php.', 'syncline' );
		}
		$errors   += self::odoo_errors( $type, $input );
		$warehouse = $input['warehouse_id'] ?? '';
		if ( ! self::is_positive_int( $warehouse ) ) {
			$errors['warehouse_id'] = __( 'The warehouse id is a positive whole number.', 'syncline' );
		}
		$key = isset( $input['erp_api_key'] ) ? trim( (string) $input['erp_api_key'] ) : '';
		if ( '' !== $key && ( strlen( $key ) > 512 || preg_match( '/\s/', $key ) ) ) {
			$errors['erp_api_key'] = __( 'The API key cannot contain spaces and is at most 512 characters.', 'syncline' );
		}
		$stored = $this->raw();
		$prefix = array_key_exists( 'ref_prefix', $input ) ? trim( (string) $input['ref_prefix'] ) : self::ref_prefix_of( $stored );
		if ( 1 !== preg_match( self::REF_PREFIX_PATTERN, $prefix ) ) {
			$errors['ref_prefix'] = self::ref_prefix_rule();
		}
		$minutes = array_key_exists( 'stock_pull_minutes', $input ) ? $input['stock_pull_minutes'] : Schedules::minutes_of( $stored );
		if ( ! Schedules::valid_minutes( $minutes ) ) {
			$errors['stock_pull_minutes'] = self::stock_pull_rule();
		}
		$intervals = array();
		foreach ( array_diff_key( Schedules::interval_jobs(), array( 'stock_pull_minutes' => true ) ) as $field => $job ) {
			$intervals[ $field ] = array_key_exists( $field, $input ) ? $input[ $field ] : $job->units_of( $stored );
			if ( ! $job->valid( $intervals[ $field ] ) ) {
				$errors[ $field ] = $job->rule();
			}
		}
		$invoice_at = array_key_exists( 'invoice_at', $input ) ? $input['invoice_at'] : Mappings::invoice_at_of( $stored );
		if ( ! in_array( $invoice_at, Mappings::INVOICE_AT, true ) ) {
			$errors['invoice_at'] = __( 'Choose when the ERP invoice is made: when the payment is captured, or when the order is completed.', 'syncline' );
		}
		$delete = $input['delete_data_on_uninstall'] ?? null;
		if ( null !== $delete && ! is_bool( $delete ) ) {
			$errors['delete_data_on_uninstall'] = __( 'Must be true or false.', 'syncline' );
		}
		$rules_and_owners = SettingsRules::validate( $input, $stored, $errors );
		if ( array() !== $errors ) {
			throw InvalidRequest::with( __( 'Some settings are not valid.', 'syncline' ), $errors );
		}
		$notices = array();
		$url     = esc_url_raw( $url, array( 'http', 'https' ) );
		if ( '' !== $key ) {
			$stored['erp_api_key'] = $key;
		} elseif ( '' !== (string) ( $stored['erp_api_key'] ?? '' ) && (string) ( $stored['erp_url'] ?? '' ) !== $url ) {
			unset( $stored['erp_api_key'] );
			$notices['erp_api_key'] = __( 'The ERP URL changed, so the stored API key was removed: enter the API key for the new ERP.', 'syncline' );
		}
		$stored['erp_type']           = $type;
		$stored['erp_url']            = $url;
		$stored['erp_database']       = 'odoo' === $type ? trim( (string) $input['erp_database'] ) : '';
		$stored['erp_login']          = 'odoo' === $type ? trim( (string) $input['erp_login'] ) : '';
		$stored['warehouse_id']       = (int) $warehouse;
		$stored['ref_prefix']         = $prefix;
		$stored['stock_pull_minutes'] = (int) $minutes;
		$stored['invoice_at']         = (string) $invoice_at;
		foreach ( $intervals as $field => $value ) {
			$stored[ $field ] = (int) $value;
		}
		$stored = $rules_and_owners + $stored;
		$this->options->set( self::OPTION, $stored );
		if ( null !== $delete ) {
			$this->options->set( Options::DELETE_DATA, $delete ? 'yes' : 'no' );
		}
		return $this->public_view() + array( 'notices' => $notices );
	}

	/**
	 * Odoo's own fields: the database name and the integration user's login, both required for Odoo (ignored for
	 * any other ERP).
	 *
	 * @param string               $type  The submitted ERP type.
	 * @param array<string, mixed> $input Submitted fields.
	 * @return array<string, string> Field errors.
	 */
	private static function odoo_errors( string $type, array $input ): array {
		if ( 'odoo' !== $type ) {
			return array();
		}
		$errors   = array();
		$database = $input['erp_database'] ?? '';
		if ( ! is_string( $database ) || 1 !== preg_match( self::ODOO_DATABASE_PATTERN, trim( $database ) ) ) {
			$errors['erp_database'] = __( 'Enter the Odoo database name: letters, digits, _ . - (at most 63 characters).', 'syncline' );
		}
		$login = $input['erp_login'] ?? '';
		if ( ! is_string( $login ) || '' === trim( $login ) || strlen( $login ) > 254 || 1 === preg_match( '/[\x00-\x1f]/', $login ) ) {
			$errors['erp_login'] = __( 'Enter the login of the Odoo user the API key belongs to.', 'syncline' );
		}
		return $errors;
	}

	/**
	 * Whether a value is a whole number of at least 1 (as int or digit string).
	 *
	 * @param mixed $value Candidate.
	 */
	public static function is_positive_int( $value ): bool {
		if ( is_int( $value ) ) {
			return $value >= 1;
		}
		return is_string( $value ) && 1 === preg_match( '/^\s*[1-9][0-9]{0,17}\s*$/', $value );
	}

	/**
	 * Whether a value is an absolute http(s) URL with a host.
	 *
	 * @param string $url Candidate.
	 */
	public static function is_http_url( string $url ): bool {
		if ( '' === $url || ! filter_var( $url, FILTER_VALIDATE_URL ) ) {
			return false;
		}
		$parts = wp_parse_url( $url );
		return is_array( $parts ) && in_array( strtolower( (string) ( $parts['scheme'] ?? '' ) ), array( 'http', 'https' ), true ) && '' !== (string) ( $parts['host'] ?? '' );
	}

	/**
	 * The stored option.
	 *
	 * @return array<string, mixed>
	 */
	private function raw(): array {
		$value = $this->options->get( self::OPTION, array() );
		return is_array( $value ) ? $value : array();
	}
}

<?php
/**
 * GET/POST /syncline/v1/admin/settings.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest\Admin;

use Syncline\Admin\Data\SettingsStore;
use Syncline\Hooks\Schedules;
use Syncline\Outbox\Mappings;
use Syncline\Products\ProductsSettings;
use Syncline\Rest\RestController;
use WP_Error;
use WP_REST_Request;
use WP_REST_Server;


/**
 * The ERP connection, schedules, ATS rules, field ownership and the uninstall opt-in. The API key is accepted but
 * never returned.
 */
final class SettingsController extends RestController {

	/**
	 * Builds the controller.
	 *
	 * @param SettingsStore $settings The option store.
	 */
	public function __construct( private SettingsStore $settings ) {
	}

	/** Registers GET and POST /admin/settings. */
	protected function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/admin/settings',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn() => $this->run( fn() => $this->settings->public_view() ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->run( fn() => $this->settings->save( $r->get_params() ) ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => $this->args(),
				),
				'schema' => fn() => $this->schema(),
			)
		);
	}

	/**
	 * Argument schemas; the validate callbacks give the field-level messages the form shows.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function args(): array {
		return array(
			'erp_type'                 => array(
				'type'    => 'string',
				'enum'    => SettingsStore::ERP_TYPES,
				'default' => 'dolibarr',
			),
			'erp_url'                  => array(
				'type'              => 'string',
				'required'          => true,
				'validate_callback' => static fn( $value ) => SettingsStore::is_http_url( trim( (string) $value ) )
					? true
					: new WP_Error( 'syncline_invalid_url', __( 'Enter a full http:// or https:// URL, for example https://erp.example.com/api/index.php.', 'syncline' ) ),
			),
			'erp_database'             => array(
				'type'        => 'string',
				'description' => __( 'Odoo only (required there): the database name.', 'syncline' ),
			),
			'erp_login'                => array(
				'type'        => 'string',
				'description' => __( 'Odoo only (required there): the login of the user the API key belongs to.', 'syncline' ),
			),
			'erp_api_key'              => array(
				'type'        => 'string',
				'description' => __( 'Write-only. Empty keeps the stored key.', 'syncline' ),
				'maxLength'   => 512,
			),
			'ref_prefix'               => array(
				'type'              => 'string',
				'description'       => __( 'Prefix of the order reference (ref_client) in the ERP, e.g. WC- gives WC-1234. Missing keeps the stored one.', 'syncline' ),
				'validate_callback' => static fn( $value ) => is_string( $value ) && 1 === preg_match( SettingsStore::REF_PREFIX_PATTERN, trim( $value ) )
					? true
					: new WP_Error( 'syncline_invalid_ref_prefix', SettingsStore::ref_prefix_rule() ),
			),
			'stock_pull_minutes'       => array(
				'description'       => __( 'Minutes between two full stock pulls (WP-Cron). Missing keeps the stored value.', 'syncline' ),
				'validate_callback' => static fn( $value ) => Schedules::valid_minutes( $value )
					? true
					: new WP_Error( 'syncline_invalid_stock_pull_minutes', SettingsStore::stock_pull_rule() ),
			),
			'invoice_at'               => array(
				'description'       => __( 'When the ERP invoice is made: capture (the payment is captured) or completion (the order is completed). Missing keeps the stored value.', 'syncline' ),
				'validate_callback' => static fn( $value ) => in_array( $value, Mappings::INVOICE_AT, true )
					? true
					: new WP_Error( 'syncline_invalid_invoice_at', __( 'Choose when the ERP invoice is made: when the payment is captured, or when the order is completed.', 'syncline' ) ),
			),
			'delete_data_on_uninstall' => array(
				'type'        => 'boolean',
				'description' => __( 'Drop every Syncline table and option when the plugin is deleted. Missing keeps the stored choice.', 'syncline' ),
			),
			'ats_channel'              => array(
				'description' => __( 'The channel WooCommerce sells as (one of the ATS rules\' channels). Missing keeps the stored value.', 'syncline' ),
			),
			'ats_rules'                => array(
				'description' => __( 'Available-to-sell rules: channels (channel → ERP warehouse ids), safetyStock (global, perSku), reserve (channel → units or percent), kits (kit SKU → components). Null clears them; missing keeps them. Checked by SettingsStore, which names the bad field.', 'syncline' ),
			),
			'products_owned_fields'    => array(
				'description' => __( 'The product fields the ERP owns (master data sync writes only these). Missing keeps the stored value.', 'syncline' ),
			),
			'products_create_missing'  => array(
				'description' => __( 'Create products the store lacks, as drafts. Missing keeps the stored value.', 'syncline' ),
			),
			'warehouse_id'             => array(
				'required'          => true,
				'validate_callback' => static fn( $value ) => SettingsStore::is_positive_int( $value )
					? true
					: new WP_Error( 'syncline_invalid_warehouse', __( 'The warehouse id is a positive whole number.', 'syncline' ) ),
			),
		);
	}

	/**
	 * Response schema.
	 *
	 * @return array<string, mixed>
	 */
	private function schema(): array {
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'syncline_settings',
			'type'       => 'object',
			'properties' => array(
				'erp_type'                 => array( 'type' => 'string' ),
				'erp_url'                  => array(
					'type'   => 'string',
					'format' => 'uri',
				),
				'erp_database'             => array( 'type' => 'string' ),
				'erp_login'                => array( 'type' => 'string' ),
				'warehouse_id'             => array( 'type' => array( 'integer', 'null' ) ),
				'erp_api_key_set'          => array( 'type' => 'boolean' ),
				'ref_prefix'               => array( 'type' => 'string' ),
				'stock_pull_minutes'       => array( 'type' => 'integer' ),
				'delete_data_on_uninstall' => array( 'type' => 'boolean' ),
				'invoice_at'               => array(
					'type' => 'string',
					'enum' => Mappings::INVOICE_AT,
				),
				'reconcile_hours'          => array( 'type' => 'integer' ),
				'ats_channel'              => array( 'type' => 'string' ),
				'ats_rules'                => array(
					'type'       => array( 'object', 'null' ),
					'properties' => array(
						'channels'    => array( 'type' => 'object' ),
						'safetyStock' => array( 'type' => 'object' ),
						'reserve'     => array( 'type' => 'object' ),
						'kits'        => array( 'type' => 'object' ),
					),
				),
				'products_owned_fields'    => array(
					'type'  => 'array',
					'items' => array(
						'type' => 'string',
						'enum' => ProductsSettings::FIELDS,
					),
				),
				'products_create_missing'  => array( 'type' => 'boolean' ),
				'notices'                  => array(
					'type'                 => 'object',
					'description'          => __( 'After a save: field => what the save did to it (e.g. the key cleared after a URL change).', 'syncline' ),
					'additionalProperties' => array( 'type' => 'string' ),
				),
			),
		);
	}
}

<?php
/**
 * `wp syncline sync products` and `wp syncline webhooks setup|check`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Infrastructure\Registerable;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\SkuMap;
use Syncline\Products\SyncRequests;
use Syncline\Webhooks\WebhookEvents;
use Syncline\Webhooks\WebhookTarget;

/**
 * Master data from the ERP and the Dolibarr webhook target. The sidecar stays the only thing that talks to the ERP
 * for syncing: `sync products` queues a `products.sync` event and, with --dry-run (or --wait), waits for the
 * sidecar's answer. `webhooks check` reads Dolibarr's module list through its API only to tell the operator.
 */
class ProductsCommand implements Registerable {

	private const FORMATS = array( 'table', 'json', 'csv', 'yaml' );

	/**
	 * Builds the command.
	 *
	 * @param SyncRequests  $requests Sync requests.
	 * @param Db            $db       Database.
	 * @param WebhookTarget $target   Webhook target.
	 * @param Options       $options  Options (the ERP settings).
	 */
	public function __construct( private SyncRequests $requests, private Db $db, private WebhookTarget $target, private Options $options ) {
	}

	/** Adds the commands (WP-CLI only). */
	public function register(): void {
		if ( ! class_exists( '\WP_CLI' ) ) {
			return;
		}
		\WP_CLI::add_command( 'syncline sync products', array( $this, 'sync_products' ) );
		\WP_CLI::add_command( 'syncline webhooks setup', array( $this, 'webhooks_setup' ) );
		\WP_CLI::add_command( 'syncline webhooks check', array( $this, 'webhooks_check' ) );
	}

	/**
	 * Syncs product master data (name, prices, tax class, weight, dimensions, status, categories: the fields the ERP
	 * owns) from the ERP into WooCommerce, through the sidecar.
	 *
	 * ## OPTIONS
	 *
	 * [--skus=<skus>]
	 * : Comma-separated WooCommerce SKUs (default: every product).
	 *
	 * [--dry-run]
	 * : Compare only: list what would change, write nothing (waits for the sidecar).
	 *
	 * [--wait=<seconds>]
	 * : Wait this long for the sidecar to finish (default: 120 with --dry-run, else 0: queue and return).
	 *
	 * [--format=<format>]
	 * : Output format of the changes: table, json, csv, yaml.
	 * ---
	 * default: table
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline sync products
	 *     wp syncline sync products --skus=MUG-RED,CAP-BLUE --dry-run
	 *
	 * @param array<int, string>         $args  Positional.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function sync_products( array $args, array $assoc ): void {
		unset( $args );
		$format = (string) ( $assoc['format'] ?? 'table' );
		if ( ! in_array( $format, self::FORMATS, true ) ) {
			/* translators: %s: formats. */
			\WP_CLI::error( sprintf( __( '--format must be one of: %s', 'syncline' ), implode( ', ', self::FORMATS ) ) );
		}
		$skus = self::skus( $assoc );
		$dry  = ! empty( $assoc['dry-run'] );
		$wait = $assoc['wait'] ?? ( $dry ? '120' : '0' );
		if ( ! is_string( $wait ) || 1 !== preg_match( '/^\d{1,4}$/', $wait ) ) {
			\WP_CLI::error( __( '--wait must be a number of seconds (0-9999).', 'syncline' ) );
		}
		if ( $dry && 0 === (int) $wait ) {
			\WP_CLI::error( __( '--dry-run needs --wait of at least 1 second: the answer comes from the sidecar.', 'syncline' ) );
		}
		$id = $this->requests->queue( $skus, $dry );
		/* translators: 1: request id, 2: what. */
		\WP_CLI::log( sprintf( __( 'Master data sync queued for the sidecar (request %1$d, %2$s).', 'syncline' ), $id, array() === $skus ? __( 'every product', 'syncline' ) : implode( ', ', $skus ) ) );
		if ( 0 === (int) $wait ) {
			\WP_CLI::success( __( 'Queued (outbox topic products.sync).', 'syncline' ) );
			return;
		}
		$this->wait_done( $id, (int) $wait );
		$result = $this->requests->result( $id );
		if ( null === $result ) {
			\WP_CLI::success( __( 'The sidecar synced the products.', 'syncline' ) );
			return;
		}
		$this->print_result( $result, $format, $dry );
	}

	/**
	 * The validated --skus list.
	 *
	 * @param array<string, string|bool> $assoc Options.
	 * @return array<int, string>
	 */
	private static function skus( array $assoc ): array {
		if ( ! array_key_exists( 'skus', $assoc ) ) {
			return array();
		}
		$skus = array_values( array_unique( array_filter( array_map( 'trim', explode( ',', (string) $assoc['skus'] ) ), static fn ( $s ) => '' !== $s ) ) );
		if ( array() === $skus || true === $assoc['skus'] ) {
			\WP_CLI::error( __( '--skus needs at least one SKU, e.g. --skus=MUG-RED,CAP-BLUE', 'syncline' ) );
		}
		foreach ( $skus as $sku ) {
			$problem = SkuMap::problem( $sku );
			if ( null !== $problem ) {
				/* translators: 1: SKU, 2: what is wrong with it. */
				\WP_CLI::error( sprintf( __( 'Not a valid SKU "%1$s": it %2$s.', 'syncline' ), $sku, $problem ) );
			}
		}
		if ( count( $skus ) > 1000 ) {
			\WP_CLI::error( __( 'At most 1000 SKUs per run; leave --skus out to sync every product.', 'syncline' ) );
		}
		return $skus;
	}

	/**
	 * Waits for the request's newest event to be done; errors on needs-human, discard or timeout.
	 *
	 * @param int $id      Request id.
	 * @param int $seconds Most seconds.
	 */
	private function wait_done( int $id, int $seconds ): void {
		$table = $this->db->table( OutboxSchema::EVENTS );
		$end   = microtime( true ) + $seconds;
		do {
			$row   = $this->db->row(
				"SELECT state, last_error_message FROM {$table} WHERE topic = %s AND object_type = %s AND object_id = %d ORDER BY id DESC LIMIT 1",
				array( SyncRequests::TOPIC, SyncRequests::TYPE, $id )
			);
			$state = (string) ( $row['state'] ?? '' );
			if ( EventState::DONE === $state ) {
				return;
			}
			if ( in_array( $state, array( EventState::NEEDS_HUMAN, EventState::DISCARDED ), true ) ) {
				/* translators: %s: error. */
				\WP_CLI::error( sprintf( __( 'The sidecar could not sync the products: %s', 'syncline' ), (string) ( $row['last_error_message'] ?? $state ) ) );
			}
			usleep( 250000 );
		} while ( microtime( true ) < $end );
		/* translators: %d: seconds. */
		\WP_CLI::error( sprintf( __( 'No answer from the sidecar within %d s (the request stays queued). Is it running? See wp syncline status.', 'syncline' ), $seconds ) );
	}

	/**
	 * Prints a sync answer: one row per changed field, then the counts.
	 *
	 * @param array<string, mixed> $result Stored result.
	 * @param string               $format Format.
	 * @param bool                 $dry    Dry run.
	 */
	private function print_result( array $result, string $format, bool $dry ): void {
		$rows = array();
		foreach ( (array) $result['changes'] as $change ) {
			foreach ( (array) $change['fields'] as $field => $fc ) {
				$rows[] = array(
					'ref'   => (string) $change['ref'],
					'id'    => (int) $change['id'],
					'field' => (string) $field,
					'from'  => is_scalar( $fc['from'] ) ? (string) $fc['from'] : (string) wp_json_encode( $fc['from'] ),
					'to'    => is_scalar( $fc['to'] ) ? (string) $fc['to'] : (string) wp_json_encode( $fc['to'] ),
				);
			}
		}
		\WP_CLI\Utils\format_items( $format, $rows, array( 'ref', 'id', 'field', 'from', 'to' ) );
		$summary = sprintf(
			/* translators: 1: would be / were, 2: written, 3: created, 4: unchanged, 5: unknown refs. */
			__( 'Products %1$s written: %2$d, created: %3$d; unchanged: %4$d; not in the store: %5$s', 'syncline' ),
			$dry ? __( 'that would be', 'syncline' ) : '',
			(int) $result['written'],
			(int) $result['created'],
			(int) $result['unchanged'],
			array() === (array) $result['unknown'] ? '0' : implode( ', ', (array) $result['unknown'] )
		);
		if ( 'table' === $format ) {
			\WP_CLI::success( $summary );
		}
	}

	/**
	 * Creates the webhook secret (or a new one with --rotate) and prints the Dolibarr webhook target to create.
	 * Dolibarr 20 has no REST API for webhook targets, so the target is created in its UI: the steps are printed.
	 *
	 * ## OPTIONS
	 *
	 * [--rotate]
	 * : Make a new secret (the old URL stops working at once).
	 *
	 * [--format=<format>]
	 * : table or json.
	 * ---
	 * default: table
	 * ---
	 *
	 * @param array<int, string>         $args  Positional.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function webhooks_setup( array $args, array $assoc ): void {
		unset( $args );
		if ( ! empty( $assoc['rotate'] ) ) {
			$this->target->rotate();
		} else {
			$this->target->ensure_secret();
		}
		$url      = $this->target->url();
		$triggers = implode( ',', WebhookTarget::TRIGGERS );
		if ( 'json' === ( $assoc['format'] ?? 'table' ) ) {
			\WP_CLI::line(
				(string) wp_json_encode(
					array(
						'url'           => $url,
						'trigger_codes' => $triggers,
					)
				)
			);
			return;
		}
		\WP_CLI::line( __( 'Dolibarr 20 has no API to create webhook targets. In Dolibarr, as an administrator:', 'syncline' ) );
		\WP_CLI::line( __( '1. Home > Setup > Modules/Applications: enable "WebHook".', 'syncline' ) );
		\WP_CLI::line( __( '2. Open the module\'s setup (its gear icon) > Targets > New target.', 'syncline' ) );
		/* translators: %s: URL. */
		\WP_CLI::line( sprintf( __( '3. URL: %s', 'syncline' ), $url ) );
		/* translators: %s: trigger codes. */
		\WP_CLI::line( sprintf( __( '4. Trigger codes: %s', 'syncline' ), $triggers ) );
		\WP_CLI::line( __( '5. Save, then set the target\'s status to Enabled. Check with: wp syncline webhooks check', 'syncline' ) );
		\WP_CLI::warning( __( 'Dolibarr calls webhooks inside its own transaction and cancels the change when the call fails: keep WordPress reachable from Dolibarr, or disable the target during WordPress maintenance. Polling stays on as the safety net.', 'syncline' ) );
		\WP_CLI::success( __( 'Webhook secret ready.', 'syncline' ) );
	}

	/**
	 * Checks the webhook target: the secret, that the route answers (a test call to the URL), whether Dolibarr's
	 * Webhook module is enabled (through its API, when Settings hold the ERP URL and key) and the last webhook seen.
	 *
	 * @param array<int, string>         $args  Positional.
	 * @param array<string, string|bool> $assoc Options.
	 */
	public function webhooks_check( array $args, array $assoc ): void {
		unset( $args, $assoc );
		$url = $this->target->url();
		if ( '' === $url ) {
			\WP_CLI::error( __( 'No webhook secret yet: run wp syncline webhooks setup.', 'syncline' ) );
		}
		$failures = 0;
		$answer   = wp_remote_post(
			$url,
			array(
				'timeout' => 10,
				'headers' => array( 'Content-Type' => 'application/json' ),
				'body'    => (string) wp_json_encode(
					array(
						'triggercode' => 'SYNCLINE_CHECK',
						'object'      => array( 'id' => 0 ),
					)
				),
			)
		);
		$code     = is_wp_error( $answer ) ? 0 : (int) wp_remote_retrieve_response_code( $answer );
		if ( 200 === $code ) {
			/* translators: %s: URL. */
			\WP_CLI::log( sprintf( __( 'OK: the webhook route answers at %s', 'syncline' ), $url ) );
		} else {
			++$failures;
			/* translators: 1: URL, 2: status or error. */
			\WP_CLI::warning( sprintf( __( 'The webhook route did not answer 200 at %1$s (%2$s).', 'syncline' ), $url, is_wp_error( $answer ) ? $answer->get_error_message() : (string) $code ) );
		}
		$module = $this->erp_webhook_module();
		if ( null === $module ) {
			\WP_CLI::log( __( 'Dolibarr not checked: Settings hold no ERP URL and API key.', 'syncline' ) );
		} elseif ( true === $module ) {
			\WP_CLI::log( __( 'OK: Dolibarr\'s Webhook module is enabled.', 'syncline' ) );
		} else {
			++$failures;
			/* translators: %s: reason. */
			\WP_CLI::warning( sprintf( __( 'Dolibarr\'s Webhook module: %s', 'syncline' ), $module ) );
		}
		$clock  = new \Syncline\Infrastructure\Clock();
		$events = new WebhookEvents( $this->db, new \Syncline\Outbox\OutboxWriter( $this->db, $this->options, $clock ), $clock );
		$last   = $events->last_received();
		/* translators: %s: time. */
		\WP_CLI::log( 0 === $last ? __( 'No webhook received yet.', 'syncline' ) : sprintf( __( 'Last webhook received: %s UTC', 'syncline' ), gmdate( 'Y-m-d H:i:s', $last ) ) );
		if ( $failures > 0 ) {
			\WP_CLI::error( __( 'Webhook target not ready (see above); polling keeps syncing meanwhile.', 'syncline' ) );
		}
		\WP_CLI::success( __( 'Webhook target ready.', 'syncline' ) );
	}

	/**
	 * True when Dolibarr lists the webhook module, a reason when not, null when the ERP is not configured here.
	 *
	 * @return true|string|null
	 */
	private function erp_webhook_module() {
		$s   = $this->options->get( Options::SETTINGS, array() );
		$url = is_array( $s ) ? rtrim( (string) ( $s['erp_url'] ?? '' ), '/' ) : '';
		$key = is_array( $s ) ? (string) ( $s['erp_api_key'] ?? '' ) : '';
		if ( '' === $url || '' === $key ) {
			return null;
		}
		$api    = str_ends_with( $url, '/api/index.php' ) ? $url : $url . '/api/index.php';
		$answer = wp_remote_get(
			$api . '/setup/modules',
			array(
				'timeout' => 10,
				'headers' => array(
					'DOLAPIKEY' => $key,
					'Accept'    => 'application/json',
				),
			)
		);
		if ( is_wp_error( $answer ) ) {
			return $answer->get_error_message();
		}
		$modules = json_decode( (string) wp_remote_retrieve_body( $answer ), true );
		if ( 200 !== (int) wp_remote_retrieve_response_code( $answer ) || ! is_array( $modules ) ) {
			/* translators: %d: HTTP status. */
			return sprintf( __( 'GET /setup/modules answered %d', 'syncline' ), (int) wp_remote_retrieve_response_code( $answer ) );
		}
		return in_array( 'webhook', $modules, true ) ? true : __( 'not enabled (Home > Setup > Modules/Applications > WebHook)', 'syncline' );
	}
}

<?php
/**
 * `wp syncline status`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Infrastructure\Heartbeats;
use Syncline\Outbox\OutboxQueries;
use Syncline\Woo\OrderSource;

/**
 * Queue counts, oldest pending event and sidecar heartbeats.
 */
class StatusCommand {

	/**
	 * Builds the command.
	 *
	 * @param OutboxQueries $queries    Outbox reads.
	 * @param Heartbeats    $heartbeats Heartbeats.
	 * @param OrderSource   $orders     The WooCommerce seam (version).
	 */
	public function __construct( private OutboxQueries $queries, private Heartbeats $heartbeats, private OrderSource $orders ) {
	}

	/**
	 * Shows queue counts by state, the age of the oldest pending event and the last heartbeat of each sidecar.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline status --format=json
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function __invoke( array $args, array $assoc ): void {
		$status = array(
			'counts'                     => $this->queries->counts(),
			'oldest_pending_age_seconds' => $this->queries->oldest_pending_age(),
			'heartbeats'                 => $this->heartbeats->all(),
			'woocommerce_version'        => $this->orders->wc_version(),
			'server_time'                => time(),
		);
		if ( 'json' === ( $assoc['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $status ) );
			return;
		}
		$rows = array();
		foreach ( $status['counts'] as $state => $n ) {
			$rows[] = array(
				'state'  => $state,
				'events' => $n,
			);
		}
		\WP_CLI\Utils\format_items( 'table', $rows, array( 'state', 'events' ) );
		$age = $status['oldest_pending_age_seconds'];
		/* translators: %s: age in seconds or "none". */
		\WP_CLI::line( sprintf( __( 'Oldest pending event: %s', 'syncline' ), null === $age ? __( 'none', 'syncline' ) : $age . ' s' ) );
		foreach ( $status['heartbeats'] as $worker => $beat ) {
			/* translators: 1: worker id, 2: seconds since its last heartbeat, 3: version. */
			\WP_CLI::line( sprintf( __( 'Sidecar %1$s: last heartbeat %2$d s ago (version %3$s)', 'syncline' ), $worker, time() - (int) ( $beat['received_at'] ?? 0 ), (string) ( $beat['version'] ?? '?' ) ) );
		}
		if ( array() === $status['heartbeats'] ) {
			\WP_CLI::line( __( 'No sidecar heartbeat received yet.', 'syncline' ) );
		}
	}
}

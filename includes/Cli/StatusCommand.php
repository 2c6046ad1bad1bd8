<?php
/**
 * `wp syncline status`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Admin\Data\OverviewQuery;
use Syncline\Hooks\ScheduleReport;
use Syncline\Infrastructure\Heartbeats;
use Syncline\Outbox\OutboxQueries;
use Syncline\Woo\OrderSource;

/**
 * Queue counts, oldest pending event, the sidecars (live or not) and the ERP as the live ones see it.
 */
class StatusCommand {

	/**
	 * Builds the command.
	 *
	 * @param OutboxQueries       $queries    Outbox reads.
	 * @param Heartbeats          $heartbeats Heartbeats.
	 * @param OrderSource         $orders     The WooCommerce seam (version).
	 * @param ScheduleReport|null $schedules The WP-Cron jobs' last and next runs.
	 */
	public function __construct( private OutboxQueries $queries, private Heartbeats $heartbeats, private OrderSource $orders, private ?ScheduleReport $schedules = null ) {
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
		$now     = time();
		$sidecar = OverviewQuery::sidecar( $this->heartbeats->all(), $now );
		$status  = array(
			'counts'                     => $this->queries->counts(),
			'oldest_pending_age_seconds' => $this->queries->oldest_pending_age(),
			'heartbeats'                 => $this->heartbeats->all(),
			'sidecar'                    => $sidecar,
			'woocommerce_version'        => $this->orders->wc_version(),
			'schedules'                  => null !== $this->schedules ? $this->schedules->rows( $now ) : array(),
			'server_time'                => $now,
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
		foreach ( self::lines( $sidecar, $now ) as $line ) {
			\WP_CLI::line( $line );
		}
		if ( array() !== $status['schedules'] ) {
			\WP_CLI::line( __( 'Schedules:', 'syncline' ) );
			\WP_CLI\Utils\format_items( 'table', $status['schedules'], array( 'hook', 'last_run', 'duration_ms', 'outcome', 'next_run', 'warning' ) );
			foreach ( $status['schedules'] as $row ) {
				if ( '' !== $row['warning'] ) {
					\WP_CLI::warning( $row['hook'] . ': ' . $row['warning'] );
				}
			}
		}
	}

	/**
	 * The sidecar and ERP lines of the table output.
	 *
	 * @param array{status: string, workers: array<int, array<string, mixed>>, erp: array<string, mixed>|null} $sidecar OverviewQuery::sidecar().
	 * @param int                                                                                              $now     Unix time.
	 * @return array<int, string>
	 */
	public static function lines( array $sidecar, int $now ): array {
		$lines = array();
		foreach ( $sidecar['workers'] as $w ) {
			if ( $w['live'] ) {
				$state = __( 'live', 'syncline' );
			} elseif ( 'stopped' === $w['state'] ) {
				$state = __( 'stopped', 'syncline' );
			} else {
				$state = __( 'not running (no heartbeat)', 'syncline' );
			}
			/* translators: 1: worker id, 2: live/stopped/not running, 3: seconds since its last heartbeat, 4: version. */
			$lines[] = sprintf( __( 'Sidecar %1$s: %2$s, last heartbeat %3$d s ago (version %4$s)', 'syncline' ), $w['worker'], $state, (int) $w['age_seconds'], (string) ( $w['version'] ?? '?' ) );
		}
		if ( array() === $sidecar['workers'] ) {
			$lines[] = __( 'No sidecar heartbeat received yet.', 'syncline' );
		} elseif ( 'stale' === $sidecar['status'] ) {
			$lines[] = __( 'No sidecar is running: orders wait in the queue. Start one with wp syncline sidecar start.', 'syncline' );
		}
		$erp = $sidecar['erp'];
		if ( null !== $erp ) {
			$lines[] = self::erp_line( $erp, $now );
		}
		return $lines;
	}

	/**
	 * "ERP: reachable" or "ERP unreachable since …" / circuit open; with the ERP's name and version when a heartbeat
	 * names it ("ERP: Odoo 17.0 — reachable").
	 *
	 * @param array<string, mixed> $erp The ERP as the live workers see it (OverviewQuery::sidecar()['erp']).
	 * @param int                  $now Unix time.
	 */
	private static function erp_line( array $erp, int $now ): string {
		$name  = (string) ( $erp['name'] ?? '' );
		$since = is_int( $erp['unreachable_since'] ) ? $erp['unreachable_since'] : null;
		if ( '' === $name ) {
			$line = $erp['reachable'] ? __( 'ERP: reachable', 'syncline' ) : __( 'ERP unreachable', 'syncline' );
			if ( ! $erp['reachable'] && null !== $since ) {
				/* translators: 1: date and time (UTC), 2: seconds. */
				$line = sprintf( __( 'ERP unreachable since %1$s UTC (%2$d s)', 'syncline' ), gmdate( 'Y-m-d H:i:s', $since ), $now - $since );
			}
		} elseif ( $erp['reachable'] ) {
			/* translators: %s: the ERP's name and version, e.g. Odoo 17.0. */
			$line = sprintf( __( 'ERP: %s — reachable', 'syncline' ), $name );
		} elseif ( null !== $since ) {
			/* translators: 1: the ERP's name and version, e.g. Odoo 17.0, 2: date and time (UTC), 3: seconds. */
			$line = sprintf( __( 'ERP: %1$s — unreachable since %2$s UTC (%3$d s)', 'syncline' ), $name, gmdate( 'Y-m-d H:i:s', $since ), $now - $since );
		} else {
			/* translators: %s: the ERP's name and version, e.g. Odoo 17.0. */
			$line = sprintf( __( 'ERP: %s — unreachable', 'syncline' ), $name );
		}
		if ( ! $erp['reachable'] && 'open' === $erp['circuit'] ) {
			$line .= __( '; circuit open: pushes paused, orders wait in the queue', 'syncline' );
		}
		return $line;
	}
}

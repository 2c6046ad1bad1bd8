<?php
/**
 * Heartbeats that tell the truth: the ERP's reachability, stopped sidecars, dead workers.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Rest;

use Syncline\Admin\Data\OverviewQuery;
use Syncline\Cli\StatusCommand;

/**
 * @testdox Sidecar heartbeats, liveness and the ERP's state
 */
final class SidecarHeartbeatTest extends RestTestCase {

	/**
	 * Starts from no heartbeat. The option cache may still hold a value an earlier test wrote and rolled back
	 * (update_option() leaves the cache alone when no row changes), so it is dropped first.
	 */
	protected function setUp(): void {
		parent::setUp();
		self::forget_cached_heartbeats();
		update_option( 'syncline_heartbeats', array(), false );
	}

	/**
	 * Rolls back, and leaves no cached value of this test behind.
	 */
	protected function tearDown(): void {
		parent::tearDown();
		self::forget_cached_heartbeats();
	}

	/**
	 * Drops the option from the object cache.
	 */
	private static function forget_cached_heartbeats(): void {
		foreach ( array( 'syncline_heartbeats', 'notoptions', 'alloptions' ) as $key ) {
			wp_cache_delete( $key, 'options' );
		}
	}

	/**
	 * A heartbeat body.
	 *
	 * @param string               $worker Worker.
	 * @param array<string, mixed> $erp    ERP part.
	 * @param array<string, mixed> $extra  Other fields.
	 * @return array<string, mixed>
	 */
	private function beat( string $worker, array $erp, array $extra = array() ): array {
		return array(
			'worker'         => $worker,
			'version'        => '1.0.0',
			'uptime_seconds' => 5,
			'counters'       => array( 'pushed' => 1 ),
			'erp'            => $erp,
		) + $extra;
	}

	/**
	 * @testdox an ERP that does not answer makes the overview say so (since when), even with the circuit closed
	 */
	public function test_erp_unreachable(): void {
		$since = time() - 90;
		$r     = $this->signed(
			'/syncline/v1/heartbeat',
			$this->beat(
				'w1',
				array(
					'reachable'         => false,
					'circuit'           => 'closed',
					'last_success_at'   => $since - 5,
					'unreachable_since' => $since,
				)
			)
		);
		$this->assertSame( 200, $r->get_status() );
		$sidecar = OverviewQuery::sidecar( (array) get_option( 'syncline_heartbeats' ), time() );
		$this->assertSame( 'erp_unreachable', $sidecar['status'] );
		$this->assertFalse( $sidecar['erp']['reachable'] );
		$this->assertSame( $since, $sidecar['erp']['unreachable_since'] );
		$lines = StatusCommand::lines( $sidecar, time() );
		$this->assertStringContainsString( 'ERP unreachable since ' . gmdate( 'Y-m-d H:i:s', $since ), implode( "\n", $lines ) );
		$this->signed(
			'/syncline/v1/heartbeat',
			$this->beat(
				'w1',
				array(
					'reachable'         => false,
					'circuit'           => 'open',
					'unreachable_since' => $since,
				)
			)
		);
		$sidecar = OverviewQuery::sidecar( (array) get_option( 'syncline_heartbeats' ), time() );
		$this->assertSame( 'open', $sidecar['erp']['circuit'] );
		$this->assertStringContainsString( 'circuit open', implode( "\n", StatusCommand::lines( $sidecar, time() ) ) );
		$this->signed(
			'/syncline/v1/heartbeat',
			$this->beat(
				'w1',
				array(
					'reachable' => true,
					'circuit'   => 'closed',
				)
			)
		);
		$sidecar = OverviewQuery::sidecar( (array) get_option( 'syncline_heartbeats' ), time() );
		$this->assertSame( 'ok', $sidecar['status'] );
		$this->assertContains( 'ERP: reachable', StatusCommand::lines( $sidecar, time() ) );
	}

	/**
	 * @testdox a stopped sidecar, or one silent for more than 2.5 heartbeat intervals, is not listed as live
	 */
	public function test_liveness(): void {
		$ok = array(
			'reachable' => true,
			'circuit'   => 'closed',
		);
		$this->signed( '/syncline/v1/heartbeat', $this->beat( 'gone', $ok, array( 'state' => 'stopped' ) ) );
		$this->signed( '/syncline/v1/heartbeat', $this->beat( 'old', $ok ) );
		$this->signed( '/syncline/v1/heartbeat', $this->beat( 'live', $ok ) );
		$all                        = (array) get_option( 'syncline_heartbeats' );
		$all['old']['received_at'] -= 40;
		$sidecar                    = OverviewQuery::sidecar( $all, time() );
		$live                       = array_column( $sidecar['workers'], 'live', 'worker' );
		$this->assertSame(
			array(
				'gone' => false,
				'old'  => false,
				'live' => true,
			),
			array(
				'gone' => $live['gone'],
				'old'  => $live['old'],
				'live' => $live['live'],
			)
		);
		$this->assertSame( 'ok', $sidecar['status'] );
		unset( $all['live'] );
		$this->assertSame( 'stale', OverviewQuery::sidecar( $all, time() )['status'], 'stopped and silent sidecars do not count' );
		$text = implode( "\n", StatusCommand::lines( OverviewQuery::sidecar( $all, time() ), time() ) );
		$this->assertStringContainsString( 'Sidecar gone: stopped', $text );
		$this->assertStringContainsString( 'Sidecar old: not running', $text );
	}

	/**
	 * @testdox a heartbeat with a bad state or unreachable_since is 400
	 */
	public function test_validation(): void {
		$r = $this->signed( '/syncline/v1/heartbeat', $this->beat( 'w1', array( 'unreachable_since' => 'yesterday' ), array( 'state' => 'dead' ) ) );
		$this->assertSame( 400, $r->get_status() );
		$errors = $r->get_data()['data']['errors'] ?? array();
		$this->assertArrayHasKey( 'state', $errors );
		$this->assertArrayHasKey( 'erp.unreachable_since', $errors );
	}

	/**
	 * @testdox the ERP a heartbeat names (type, version) is validated, stored, shown by the overview and printed by wp syncline status
	 */
	public function test_erp_named(): void {
		$ok = array(
			'type'      => 'odoo',
			'version'   => '17.0',
			'reachable' => true,
			'circuit'   => 'closed',
		);
		$this->assertSame( 200, $this->signed( '/syncline/v1/heartbeat', $this->beat( 'w1', $ok ) )->get_status() );
		$stored = (array) get_option( 'syncline_heartbeats' );
		$this->assertSame( array( 'odoo', '17.0' ), array( $stored['w1']['erp']['type'], $stored['w1']['erp']['version'] ) );
		$sidecar = OverviewQuery::sidecar( $stored, time() );
		$this->assertSame( array( 'odoo', '17.0', 'Odoo 17.0' ), array( $sidecar['erp']['type'], $sidecar['erp']['version'], $sidecar['erp']['name'] ) );
		$this->assertSame( 'odoo', $sidecar['workers'][0]['erp']['type'] );
		$this->assertContains( 'ERP: Odoo 17.0 — reachable', StatusCommand::lines( $sidecar, time() ) );

		$since = time() - 30;
		$down  = array(
			'type'              => 'dolibarr',
			'version'           => null,
			'reachable'         => false,
			'circuit'           => 'open',
			'unreachable_since' => $since,
		);
		$this->assertSame( 200, $this->signed( '/syncline/v1/heartbeat', $this->beat( 'w1', $down ) )->get_status() );
		$sidecar = OverviewQuery::sidecar( (array) get_option( 'syncline_heartbeats' ), time() );
		$this->assertSame( 'Dolibarr', $sidecar['erp']['name'], 'no version until a ping answered' );
		$text = implode( "\n", StatusCommand::lines( $sidecar, time() ) );
		$this->assertStringContainsString( 'ERP: Dolibarr — unreachable since ' . gmdate( 'Y-m-d H:i:s', $since ) . ' UTC', $text );
		$this->assertStringContainsString( 'circuit open', $text );

		$bad = $this->signed(
			'/syncline/v1/heartbeat',
			$this->beat(
				'w1',
				array(
					'type'    => 'Odoo<script>',
					'version' => str_repeat( '1', 65 ),
				)
			)
		);
		$this->assertSame( 400, $bad->get_status() );
		$errors = $bad->get_data()['data']['errors'] ?? array();
		$this->assertArrayHasKey( 'erp.type', $errors );
		$this->assertArrayHasKey( 'erp.version', $errors );
	}
}

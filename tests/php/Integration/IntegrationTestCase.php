<?php
/**
 * Base of the integration tests: a real WordPress + MariaDB, each test inside a transaction that is rolled back.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration;

use PHPUnit\Framework\TestCase;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\EventLog;
use Syncline\Outbox\OutboxQueries;
use Syncline\Outbox\OutboxRepository;
use Syncline\Outbox\OutboxSchema;
use Syncline\Outbox\OutboxWriter;

/**
 * Gives each test an empty outbox (deleted inside the transaction, so the site's own rows come back afterwards)
 * and services wired to a clock the test can move.
 */
abstract class IntegrationTestCase extends TestCase {

	/**
	 * Database proxy.
	 *
	 * @var Db
	 */
	protected Db $db;

	/**
	 * A clock the test may shift.
	 *
	 * @var Clock
	 */
	protected Clock $clock;

	/**
	 * Options proxy.
	 *
	 * @var Options
	 */
	protected Options $options;

	/**
	 * Whether the test runs in a rolled-back transaction with an empty outbox (DDL tests cannot: DDL commits).
	 *
	 * @var bool
	 */
	protected bool $in_transaction = true;

	/**
	 * Skips without WordPress; opens the transaction and empties the outbox.
	 */
	protected function setUp(): void {
		parent::setUp();
		if ( ! defined( 'ABSPATH' ) ) {
			$this->markTestSkipped( 'Set SYNCLINE_WP_PATH to an installed WordPress site to run the integration tests.' );
		}
		global $wpdb;
		$this->db      = new Db( $wpdb );
		$this->clock   = new Clock();
		$this->options = new Options();
		( new OutboxSchema( $this->db, $this->options ) )->maybe_upgrade();
		if ( ! $this->in_transaction ) {
			return;
		}
		$this->db->query( 'START TRANSACTION' );
		foreach ( array( 'events', 'nonces', 'event_log' ) as $table ) {
			$this->db->query( 'DELETE FROM ' . $this->db->table( $table ) );
		}
		wp_set_current_user( 0 );
	}

	/**
	 * Rolls the test's writes back.
	 */
	protected function tearDown(): void {
		if ( defined( 'ABSPATH' ) && $this->in_transaction ) {
			$this->db->query( 'ROLLBACK' );
			wp_set_current_user( 0 );
		}
		parent::tearDown();
	}

	/** The writer hooks use, on this test's clock. */
	protected function writer(): OutboxWriter {
		return new OutboxWriter( $this->db, $this->options, $this->clock );
	}

	/** The repository, on this test's clock. */
	protected function repository(): OutboxRepository {
		return new OutboxRepository( $this->db, $this->clock, new EventLog( $this->db, $this->clock ) );
	}

	/** Operator actions, on this test's clock. */
	protected function queries(): OutboxQueries {
		return new OutboxQueries( $this->db, $this->clock, new EventLog( $this->db, $this->clock ) );
	}

	/**
	 * Every outbox row, oldest first.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	protected function events(): array {
		return $this->db->rows( 'SELECT * FROM ' . $this->db->table( 'events' ) . ' ORDER BY id' );
	}

	/**
	 * Asserts how many outbox rows an object has in a state.
	 *
	 * @param int    $expected  Count.
	 * @param int    $object_id Order id.
	 * @param string $state     State.
	 */
	protected function assert_event_count( int $expected, int $object_id, string $state ): void {
		$n = (int) $this->db->value( 'SELECT COUNT(*) FROM ' . $this->db->table( 'events' ) . ' WHERE object_id = %d AND state = %s', array( $object_id, $state ) );
		$this->assertSame( $expected, $n, "events of order {$object_id} in state {$state}" );
	}

	/**
	 * Makes a user with a role and logs them in (rolled back with the test's transaction).
	 *
	 * @param string $role Role.
	 * @return int User id.
	 */
	protected function login_as( string $role ): int {
		$id = (int) wp_insert_user(
			array(
				'user_login' => $role . wp_generate_password( 8, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		wp_set_current_user( $id );
		return $id;
	}

	/** A fresh order id no other test uses. */
	protected function order_id(): int {
		return random_int( 100000000, 999999999 );
	}
}

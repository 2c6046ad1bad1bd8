<?php
/**
 * Db::transaction(): its own transaction when none is open, the caller's when one is.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Infrastructure;

use RuntimeException;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Db::transaction()
 *
 * Commits here are real: the rows go to a temporary table that disappears with the connection.
 */
final class DbTransactionTest extends IntegrationTestCase {

	/**
	 * Outside the base class's transaction (each test decides which transactions are open); the probe, a temporary
	 * InnoDB table: transactional, private to this connection (CREATE TEMPORARY TABLE does not commit).
	 */
	protected function setUp(): void {
		$this->in_transaction = false;
		parent::setUp();
		$this->db->query( 'CREATE TEMPORARY TABLE syncline_tx_probe (n INT NOT NULL) ENGINE=InnoDB' );
	}

	/** No transaction left open, no probe table left. */
	protected function tearDown(): void {
		$this->db->query( 'ROLLBACK' );
		$this->db->query( 'DROP TEMPORARY TABLE IF EXISTS syncline_tx_probe' );
		parent::tearDown();
	}

	/**
	 * The probe's rows.
	 *
	 * @return array<int, int>
	 */
	private function rows(): array {
		return array_map( static fn ( $r ) => (int) $r['n'], $this->db->rows( 'SELECT n FROM syncline_tx_probe ORDER BY n' ) );
	}

	/** Whether a transaction is open on the connection. */
	private function open(): bool {
		return 1 === (int) $this->db->value( 'SELECT @@in_transaction' );
	}

	/**
	 * Adds a row to the probe.
	 *
	 * @param int $n Value.
	 */
	private function add( int $n ): void {
		$this->db->query( 'INSERT INTO syncline_tx_probe (n) VALUES (%d)', array( $n ) );
	}

	/**
	 * @testdox With none open: commits what the work wrote and returns what it returned
	 */
	public function test_commits_its_own_transaction(): void {
		$seen   = null;
		$result = $this->db->transaction(
			function () use ( &$seen ): string {
				$this->add( 1 );
				$seen = $this->open();
				return 'done';
			}
		);
		$this->assertTrue( $seen, 'the work ran inside a transaction' );
		$this->assertSame( 'done', $result );
		$this->assertFalse( $this->open(), 'committed' );
		$this->db->query( 'ROLLBACK' );
		$this->assertSame( array( 1 ), $this->rows(), 'a rollback afterwards does not undo it' );
	}

	/**
	 * @testdox With none open: a throw rolls the work back and reaches the caller
	 */
	public function test_rolls_back_and_rethrows(): void {
		$thrown = new RuntimeException( 'save failed' );
		try {
			$this->db->transaction(
				function () use ( $thrown ): void {
					$this->add( 1 );
					throw $thrown;
				}
			);
			$this->fail( 'the error did not reach the caller' );
		} catch ( RuntimeException $e ) {
			$this->assertSame( $thrown, $e );
		}
		$this->assertFalse( $this->open() );
		$this->assertSame( array(), $this->rows() );
	}

	/**
	 * @testdox Inside the caller's transaction: joins it, commits nothing, and leaves a throw's rollback to the caller
	 */
	public function test_joins_an_open_transaction(): void {
		$this->db->query( 'START TRANSACTION' );
		$this->add( 1 );
		$this->db->transaction( fn () => $this->add( 2 ) );
		$this->assertTrue( $this->open(), 'the caller\'s transaction is still open' );
		try {
			$this->db->transaction(
				function (): void {
					$this->add( 3 );
					throw new RuntimeException( 'save failed' );
				}
			);
			$this->fail( 'the error did not reach the caller' );
		} catch ( RuntimeException $e ) {
			$this->assertSame( 'save failed', $e->getMessage() );
		}
		$this->assertTrue( $this->open(), 'still open after the throw' );
		$this->assertSame( array( 1, 2, 3 ), $this->rows(), 'nothing rolled back by the join' );
		$this->db->query( 'ROLLBACK' );
		$this->assertSame( array(), $this->rows(), 'nothing was committed' );
	}
}

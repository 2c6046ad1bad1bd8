<?php
/**
 * The options of `wp syncline resync orders`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Cli;

use Syncline\Cli\OrderSelection;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox resync orders options
 */
final class OrderSelectionTest extends IntegrationTestCase {

	private const KNOWN = array( 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed' );

	/**
	 * @testdox bad options ($case) are a clear error
	 *
	 * @dataProvider bad
	 * @param array<string, string|bool> $assoc  Options.
	 * @param string                     $expect Part of the message.
	 */
	public function test_bad( array $assoc, string $expect ): void {
		$result = OrderSelection::parse( $assoc, self::KNOWN );
		$this->assertIsString( $result );
		$this->assertStringContainsString( $expect, $result );
	}

	/**
	 * Cases.
	 *
	 * @return array<string, array<int, mixed>>
	 */
	public function bad(): array {
		return array(
			'nothing'        => array( array(), '--ids' ),
			'status only'    => array( array( 'status' => 'processing' ), '--since' ),
			'ids not ints'   => array( array( 'ids' => '12,abc,-3' ), 'abc, -3' ),
			'ids zero'       => array( array( 'ids' => '0' ), '0' ),
			'ids flag'       => array( array( 'ids' => true ), '(empty)' ),
			'since garbage'  => array( array( 'since' => 'last blue moon' ), '--since takes' ),
			'since future'   => array( array( 'since' => '+2 days' ), 'future' ),
			'unknown status' => array(
				array(
					'ids'    => '5',
					'status' => 'processing,shipped',
				),
				'shipped',
			),
		);
	}

	/**
	 * @testdox good options give ids, a time and statuses without wc-
	 */
	public function test_good(): void {
		$this->assertSame(
			array(
				'ids'      => array( 5, 7 ),
				'since'    => strtotime( '2026-01-01 00:00 UTC' ),
				'statuses' => array( 'processing', 'completed' ),
			),
			OrderSelection::parse(
				array(
					'ids'    => '5, 7,5',
					'since'  => '2026-01-01 00:00 UTC',
					'status' => 'wc-processing,Completed',
				),
				self::KNOWN
			)
		);
	}
}

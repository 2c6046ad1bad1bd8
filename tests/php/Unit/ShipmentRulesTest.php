<?php
/**
 * Shipment progress and the ERP → WooCommerce status rule (pure).
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Unit;

use PHPUnit\Framework\TestCase;
use Syncline\Shipments\ShipmentProgress;
use Syncline\Shipments\ShipmentStatusMap;

/**
 * No WordPress needed.
 */
final class ShipmentRulesTest extends TestCase {

	/**
	 * Two lines (A × 3, B × 2) plus a second line of A (× 1).
	 *
	 * @return array<int, array{item_id: int, name: string, sku: string, erp_ref: string, qty: int}>
	 */
	private function lines(): array {
		return array(
			array( 'item_id' => 1, 'name' => 'Alpha', 'sku' => 'A', 'erp_ref' => 'ERP-A', 'qty' => 3 ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			array( 'item_id' => 2, 'name' => 'Beta', 'sku' => 'B', 'erp_ref' => 'B', 'qty' => 2 ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			array( 'item_id' => 3, 'name' => 'Alpha gift', 'sku' => 'A', 'erp_ref' => 'ERP-A', 'qty' => 1 ), // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		);
	}

	/**
	 * Units are allocated per erp reference in line order.
	 */
	public function test_units_are_allocated_per_erp_reference_in_line_order(): void {
		$p = ShipmentProgress::of( $this->lines(), array( array( 'ERP-A' => 3, 'B' => 1 ), array( 'ERP-A' => 0 + 0 ) ) ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertSame( array( 3, 1, 0 ), array_column( $p['lines'], 'shipped' ) );
		$this->assertSame( array( 0, 1, 1 ), array_column( $p['lines'], 'remaining' ) );
		$this->assertFalse( $p['complete'] );
		$this->assertSame( 2, $p['remaining_units'] );
		$done = ShipmentProgress::of( $this->lines(), array( array( 'ERP-A' => 3, 'B' => 1 ), array( 'ERP-A' => 1, 'B' => 1, 'X' => 2 ) ) ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
		$this->assertTrue( $done['complete'] );
		$this->assertSame( array( 'X' => 2 ), $done['unmatched'] );
	}

	/**
	 * Nothing shipped is not complete.
	 */
	public function test_nothing_shipped_is_not_complete(): void {
		$this->assertFalse( ShipmentProgress::of( array(), array() )['complete'] );
	}

	/**
	 * The status rule's cases.
	 *
	 * @return array<string, array{0: string, 1: bool, 2: string, 3: ?string}>
	 */
	public static function cases(): array {
		return array(
			'partial from processing'          => array( 'processing', false, 'partially-shipped', 'partially-shipped' ),
			'shipped from partially shipped'   => array( 'partially-shipped', true, 'completed', 'completed' ),
			'shipped from on-hold'             => array( 'on-hold', true, 'completed', 'completed' ),
			'keep'                             => array( 'processing', false, 'keep', null ),
			'already there'                    => array( 'completed', true, 'completed', null ),
			'completed never goes back'        => array( 'completed', false, 'partially-shipped', null ),
			'cancelled is left alone'          => array( 'cancelled', true, 'completed', null ),
			'an unregistered target is unused' => array( 'processing', true, 'shipped-custom', null ),
			'a custom partial status moves on' => array( 'on-hold', true, 'completed', 'completed' ),
		);
	}

	/**
	 * The rule.
	 *
	 * @dataProvider cases
	 * @param string      $current    Current status.
	 * @param bool        $complete   Every line shipped.
	 * @param string      $configured Mapped value.
	 * @param string|null $expected   Target.
	 */
	public function test_status_rule( string $current, bool $complete, string $configured, ?string $expected ): void {
		$valid = array( 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'partially-shipped' );
		$this->assertSame( $expected, ShipmentStatusMap::decide( $current, $complete, $configured, $valid ) );
	}
}

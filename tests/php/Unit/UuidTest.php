<?php
/**
 * UUID v5.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Unit;

use PHPUnit\Framework\TestCase;
use Syncline\Outbox\Uuid;

/**
 * @testdox Name-based UUIDs (v5)
 */
final class UuidTest extends TestCase {

	/**
	 * @testdox matches the RFC 4122 reference value for "python.org" in the DNS namespace
	 */
	public function test_reference_vector(): void {
		$this->assertSame( '886313e1-3b8a-5372-9b90-0c9aee199e5d', Uuid::v5( '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org' ) );
	}

	/**
	 * @testdox is stable for one secret and differs between secrets
	 */
	public function test_namespace_from_secret(): void {
		$a = Uuid::namespace_from_secret( str_repeat( 'a', 64 ) );
		$this->assertSame( $a, Uuid::namespace_from_secret( str_repeat( 'a', 64 ) ) );
		$this->assertNotSame( $a, Uuid::namespace_from_secret( str_repeat( 'b', 64 ) ) );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', Uuid::v5( $a, 'order:22' ) );
	}
}

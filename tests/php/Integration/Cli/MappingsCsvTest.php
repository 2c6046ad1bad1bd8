<?php
/**
 * `wp syncline mappings import`: the CSV is read by PHP's CSV reader, bad lines named by the line they start on.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Cli;

use Syncline\Cli\MappingsCommand;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\SkuMap;
use Syncline\Tests\Integration\IntegrationTestCase;

/**
 * @testdox Mappings CSV (WP-CLI)
 */
final class MappingsCsvTest extends IntegrationTestCase {

	/** The command as WP-CLI gets it. */
	private function command(): MappingsCommand {
		return new MappingsCommand( new SkuMap( $this->db, $this->clock ), new Mappings( $this->db, $this->clock ) );
	}

	/**
	 * @testdox a quoted newline keeps its record whole, and the bad lines after it are named by the line they start on
	 */
	public function test_quoted_newline_and_line_numbers(): void {
		$csv     = "\xEF\xBB\xBFtype,wc_key,erp_value\r\n";  // Line 1: header behind a BOM.
		$csv    .= "shipping_method,flat_rate,\"SHIP\nPING\"\r\n"; // Lines 2-3: a control character in the value.
		$csv    .= "tax_rate,abc,20\r\n";                          // Line 4: not a tax rate id.
		$csv    .= "\r\n";                                         // Line 5: blank.
		$csv    .= "sku,\"A,1\",'=R1\r\n";                         // Line 6: good; comma kept, formula guard removed.
		$csv    .= "sku,only-two\r\n";                             // Line 7: two cells.
		$checked = $this->command()->check( $csv );
		$this->assertSame( array( 2, 4, 7 ), array_keys( $checked['errors'] ) );
		$this->assertSame(
			array(
				array(
					'type'      => 'sku',
					'wc_key'    => 'A,1',
					'erp_value' => '=R1',
				),
			),
			$checked['rows']
		);
	}

	/**
	 * @testdox a file without the header is refused as a whole
	 */
	public function test_header_required(): void {
		$this->assertNull( $this->command()->check( "sku,A,R\n" )['rows'] );
		$this->assertNull( $this->command()->check( "\n\n" )['rows'] );
	}
}

<?php
/**
 * POST /admin/settings: ATS rules and master data field ownership, validated field by field.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Admin;

use Syncline\Infrastructure\Options;
use Syncline\Outbox\SkuMap;
use Syncline\Products\ProductsSettings;
use WP_REST_Response;

/**
 * @testdox Settings: ATS rules and field ownership
 */
final class SettingsRulesTest extends SettingsTestCase {

	/**
	 * Valid rules: two channels, safety stock, a reserve, a kit made of a kit.
	 *
	 * @return array<string, mixed>
	 */
	private static function rules(): array {
		return array(
			'channels'    => array(
				'web'    => array( '1', 3 ),
				'market' => array( '2' ),
			),
			'safetyStock' => array(
				'global' => 2,
				'perSku' => array(
					'MUG' => 5,
					'0'   => 1,
				),
			),
			'reserve'     => array( 'web' => array( 'percent' => 10 ) ),
			'kits'        => array(
				'GIFT' => array(
					'components' => array(
						'DUO' => 1,
						'BOX' => 1,
					),
				),
				'DUO'  => array( 'components' => array( 'MUG' => 2 ) ),
			),
		);
	}

	/**
	 * The response as JSON data (objects decoded as arrays), as the browser reads it.
	 *
	 * @param WP_REST_Response $response Response.
	 * @return array<string, mixed>
	 */
	private function json( WP_REST_Response $response ): array {
		return json_decode( (string) wp_json_encode( rest_get_server()->response_to_data( $response, false ) ), true );
	}

	/**
	 * @testdox rules and owned fields are stored, read back in the sidecar's shape (maps as objects, inner kits first), and missing fields keep them
	 */
	public function test_saved_and_read_back(): void {
		$this->assertNull( $this->dispatch( 'GET', self::ROUTE )->get_data()['ats_rules'] );
		$this->assertSame( ProductsSettings::DEFAULT_OWNED, $this->dispatch( 'GET', self::ROUTE )->get_data()['products_owned_fields'] );
		$response = $this->save(
			array(
				'ats_rules'               => self::rules(),
				'ats_channel'             => 'web',
				'products_owned_fields'   => array( 'status', 'name' ),
				'products_create_missing' => true,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$read = (string) wp_json_encode( $this->dispatch( 'GET', self::ROUTE )->get_data() );
		$this->assertStringContainsString( '"channels":{"web":["1","3"],"market":["2"]}', $read );
		$this->assertStringContainsString( '"safetyStock":{"global":2,"perSku":{"MUG":5,"0":1}}', $read );
		$this->assertStringContainsString( '"reserve":{"web":{"percent":10}}', $read );
		$this->assertStringContainsString( '"kits":{"DUO":{"components":{"MUG":2}},"GIFT":{"components":{"DUO":1,"BOX":1}}}', $read );
		$data = $this->json( $this->save( array() ) );
		$this->assertSame( array( 'name', 'status' ), $data['products_owned_fields'], 'known fields, in their own order' );
		$this->assertTrue( $data['products_create_missing'] );
		$this->assertSame( 'web', $data['ats_channel'] );
		$this->assertSame( array( '1', '3' ), $data['ats_rules']['channels']['web'], 'missing keeps the stored rules' );
		$this->assertSame( array( 'name', 'status' ), ( new ProductsSettings( $this->options ) )->owned(), 'the master data sync reads the saved ownership' );

		$empty = $this->save(
			array(
				'ats_rules'             => array(
					'channels' => array( 'web' => array( '4' ) ),
					'reserve'  => array(),
					'kits'     => array(),
				),
				'products_owned_fields' => array(),
			)
		);
		$this->assertStringContainsString( '"reserve":{},"kits":{}', (string) wp_json_encode( $empty->get_data() ) );
		$this->assertSame( array(), ( new ProductsSettings( $this->options ) )->owned(), 'owning nothing is a choice, not the default' );
		$this->assertNull( $this->save( array( 'ats_rules' => null ) )->get_data()['ats_rules'], 'null clears the rules' );
	}

	/**
	 * Bad input, and the field whose error the form shows next to it.
	 *
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function bad_input(): array {
		$rules = self::rules();
		$with  = static function ( string $key, $value ) use ( $rules ): array {
			$rules[ $key ] = $value;
			return array( 'ats_rules' => $rules );
		};
		$kits  = static fn ( array $kits ) => $with( 'kits', $kits );
		return array(
			'rules not an object'          => array( array( 'ats_rules' => 'web=1' ), 'ats_channels' ),
			'no channel'                   => array( $with( 'channels', array() ), 'ats_channels' ),
			'channel name with spaces'     => array( $with( 'channels', array( 'the web' => array( '1' ) ) ), 'ats_channels' ),
			'warehouse id not a number'    => array( $with( 'channels', array( 'web' => array( 'WH-A' ) ) ), 'ats_channels' ),
			'warehouse id zero'            => array( $with( 'channels', array( 'web' => array( '0' ) ) ), 'ats_channels' ),
			'channel without warehouses'   => array( $with( 'channels', array( 'web' => array() ) ), 'ats_channels' ),
			'store channel not in rules'   => array( array( 'ats_rules' => $rules ) + array( 'ats_channel' => 'shop' ), 'ats_channel' ),
			'store channel bad name'       => array( array( 'ats_channel' => 'Web Shop' ), 'ats_channel' ),
			'negative safety stock'        => array( $with( 'safetyStock', array( 'global' => -1 ) ), 'ats_safety_global' ),
			'fractional safety stock'      => array( $with( 'safetyStock', array( 'global' => 1.5 ) ), 'ats_safety_global' ),
			'per-SKU safety not a number'  => array( $with( 'safetyStock', array( 'perSku' => array( 'MUG' => 'lots' ) ) ), 'ats_safety_per_sku' ),
			'per-SKU safety empty SKU'     => array( $with( 'safetyStock', array( 'perSku' => array( ' ' => 1 ) ) ), 'ats_safety_per_sku' ),
			'per-SKU safety SKU too long'  => array( $with( 'safetyStock', array( 'perSku' => array( str_repeat( 'é', 192 ) => 1 ) ) ), 'ats_safety_per_sku' ),
			'kit SKU with a control char'  => array( $kits( array( "KIT\tA" => array( 'components' => array( 'MUG' => 1 ) ) ) ), 'ats_kits' ),
			'reserve over 100 %'           => array( $with( 'reserve', array( 'web' => array( 'percent' => 101 ) ) ), 'ats_reserve' ),
			'reserve both units and %'     => array(
				$with(
					'reserve',
					array(
						'web' => array(
							'units'   => 1,
							'percent' => 1,
						),
					)
				),
				'ats_reserve',
			),
			'reserve for unknown channel'  => array( $with( 'reserve', array( 'shop' => array( 'units' => 1 ) ) ), 'ats_reserve' ),
			'kit without components'       => array( $kits( array( 'KIT' => array( 'components' => array() ) ) ), 'ats_kits' ),
			'kit quantity zero'            => array( $kits( array( 'KIT' => array( 'components' => array( 'MUG' => 0 ) ) ) ), 'ats_kits' ),
			'kit quantity not whole'       => array( $kits( array( 'KIT' => array( 'components' => array( 'MUG' => 'x' ) ) ) ), 'ats_kits' ),
			'kit containing itself'        => array( $kits( array( 'KIT' => array( 'components' => array( 'KIT' => 1 ) ) ) ), 'ats_kits' ),
			'kits in a cycle'              => array(
				$kits(
					array(
						'A' => array( 'components' => array( 'B' => 1 ) ),
						'B' => array( 'components' => array( 'C' => 1 ) ),
						'C' => array( 'components' => array( 'A' => 2 ) ),
					)
				),
				'ats_kits',
			),
			'unknown owned field'          => array( array( 'products_owned_fields' => array( 'name', 'stock' ) ), 'products_owned_fields' ),
			'owned fields not a list'      => array( array( 'products_owned_fields' => 'everything' ), 'products_owned_fields' ),
			'create missing not a boolean' => array( array( 'products_create_missing' => 'yes please' ), 'products_create_missing' ),
		);
	}

	/**
	 * @testdox a bad value ($_dataName) is a 400 whose error names its field, and nothing is saved
	 * @dataProvider bad_input
	 *
	 * @param array<string, mixed> $fields Bad fields.
	 * @param string               $field  The field named.
	 */
	public function test_bad_input( array $fields, string $field ): void {
		$this->assertSame( 200, $this->save( array( 'ats_rules' => self::rules() ) )->get_status() );
		$before   = get_option( Options::SETTINGS );
		$response = $this->save( $fields + array( 'ats_channel' => 'web' ) );
		$this->assert_error( 400, 'syncline_invalid_request', $response );
		$errors = $response->get_data()['data']['errors'] ?? array();
		$this->assertSame( array( $field ), array_keys( $errors ), (string) wp_json_encode( $errors ) );
		$this->assertNotSame( '', $errors[ $field ] );
		$this->assertSame( $before, get_option( Options::SETTINGS ), 'nothing saved' );
	}

	/**
	 * @testdox the rules take any SKU the SKU map takes: 191 characters (counted as characters, not bytes)
	 */
	public function test_sku_rule_is_the_sku_maps(): void {
		$sku                            = str_repeat( 'é', 191 );
		$rules                          = self::rules();
		$rules['safetyStock']['perSku'] = array( $sku => 3 );
		$rules['kits']                  = array( $sku => array( 'components' => array( 'MUG' => 1 ) ) );
		$this->assertNull( SkuMap::problem( $sku ), 'the SKU map takes it' );
		$response = $this->save( array( 'ats_rules' => $rules ) );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 3, $this->json( $response )['ats_rules']['safetyStock']['perSku'][ $sku ] );
	}

	/**
	 * @testdox the cycle's error names the kits in it
	 */
	public function test_cycle_message(): void {
		$rules         = self::rules();
		$rules['kits'] = array(
			'A' => array( 'components' => array( 'B' => 1 ) ),
			'B' => array( 'components' => array( 'A' => 1 ) ),
		);
		$errors        = $this->save( array( 'ats_rules' => $rules ) )->get_data()['data']['errors'];
		$this->assertStringContainsString( 'A → B → A', $errors['ats_kits'] );
	}
}

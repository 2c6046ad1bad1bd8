<?php
/**
 * The Dolibarr webhook route: secret in the URL, product ids taken from the trigger's object, coalesced events,
 * rate limit, and answers that never make Dolibarr roll a change back.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Tests\Integration\Webhooks;

use Syncline\Infrastructure\Options;
use Syncline\Tests\Integration\Rest\RestTestCase;
use Syncline\Webhooks\WebhookEvents;
use Syncline\Webhooks\WebhookTarget;

/**
 * Runs inside IntegrationTestCase's rolled-back transaction.
 */
class WebhookRouteTest extends RestTestCase {

	/**
	 * The target's secret.
	 *
	 * @var string
	 */
	private string $secret;

	/** Fresh secret and rate window. */
	protected function setUp(): void {
		parent::setUp();
		wp_cache_flush(); // Options cached by an earlier, rolled-back test would make update_option a no-op.
		$this->secret = ( new WebhookTarget( new Options() ) )->rotate();
		$this->db->query( 'DELETE FROM ' . $this->db->prefix() . 'options WHERE option_name = %s', array( WebhookEvents::RATE_OPTION ) );
	}

	/**
	 * POSTs a webhook body.
	 *
	 * @param array<string, mixed> $body   Body.
	 * @param string|null          $secret Secret (default the right one).
	 * @return array{0: int, 1: array<string, mixed>}
	 */
	private function hook( array $body, ?string $secret = null ): array {
		$r = $this->dispatch( 'POST', '/syncline/v1/webhooks/dolibarr/' . ( $secret ?? $this->secret ), (string) wp_json_encode( $body ) );
		return array( $r->get_status(), (array) $r->get_data() );
	}

	/**
	 * Pending product-changed events: object id => count.
	 *
	 * @return array<int, int>
	 */
	private function changed(): array {
		$out = array();
		foreach ( $this->events() as $e ) {
			if ( in_array( $e['topic'], array( WebhookEvents::TOPIC, WebhookEvents::STOCK_TOPIC ), true ) && 'pending' === $e['state'] ) {
				$out[ (int) $e['object_id'] ] = ( $out[ (int) $e['object_id'] ] ?? 0 ) + 1;
			}
		}
		ksort( $out );
		return $out;
	}

	/** A wrong secret is 404 and records nothing. */
	public function test_a_wrong_secret_is_404_and_records_nothing(): void {
		list( $status ) = $this->hook(
			array(
				'triggercode' => 'STOCK_MOVEMENT',
				'object'      => array( 'product_id' => 5 ),
			),
			str_repeat( 'a', 32 )
		);
		$this->assertSame( 404, $status );
		$this->assertSame( array(), $this->changed() );
	}

	/** A stock movement records its product once however often it comes. */
	public function test_a_stock_movement_records_its_product_once_however_often_it_comes(): void {
		$body                  = array(
			'triggercode' => 'STOCK_MOVEMENT',
			'object'      => array(
				'product_id' => '42',
				'qty'        => -3,
			),
		);
		list( $status, $data ) = $this->hook( $body );
		$this->hook( $body );
		$this->assertSame( 200, $status );
		$this->assertSame( 1, $data['accepted'] );
		$this->assertSame( array( 42 => 1 ), $this->changed(), 'coalesced into one pending event' );
		$this->assertSame( WebhookEvents::STOCK_TOPIC, $this->events()[0]['topic'], 'a stock movement asks for stock only' );
	}

	/** An order validation names the products of its lines. */
	public function test_an_order_validation_names_the_products_of_its_lines(): void {
		list( $status, $data ) = $this->hook(
			array(
				'triggercode' => 'ORDER_VALIDATE',
				'object'      => array(
					'id'    => 9,
					'lines' => array( array( 'fk_product' => 7 ), array( 'fk_product' => '8' ), array( 'fk_product' => null ), array( 'fk_product' => 7 ) ),
				),
			)
		);
		$this->assertSame( 200, $status );
		$this->assertSame( 2, $data['accepted'] );
		$this->assertSame(
			array(
				7 => 1,
				8 => 1,
			),
			$this->changed()
		);
	}

	/** Unusable bodies are answered 200 and change nothing. */
	public function test_unusable_bodies_are_answered_200_and_change_nothing(): void {
		foreach ( array(
			array( 'hello' => 'world' ),
			array(
				'triggercode' => 'COMPANY_CREATE',
				'object'      => array( 'id' => 3 ),
			),
			array(
				'triggercode' => 'STOCK_MOVEMENT',
				'object'      => array( 'product_id' => 'x' ),
			),
		) as $body ) {
			list( $status, $data ) = $this->hook( $body );
			$this->assertSame( 200, $status, 'Dolibarr rolls its change back on a non-2xx answer' );
			$this->assertSame( 0, $data['accepted'] );
			$this->assertNotEmpty( $data['ignored'] );
		}
		$this->assertSame( array(), $this->changed() );
	}

	/** Rate limit. */
	public function test_rate_limit(): void {
		$limit = static fn () => 2;
		add_filter( 'syncline_webhook_rate_limit', $limit );
		try {
			$answers = array();
			foreach ( array( 1, 2, 3 ) as $id ) {
				$answers[] = $this->hook(
					array(
						'triggercode' => 'PRODUCT_MODIFY',
						'object'      => array( 'id' => $id ),
					)
				)[1];
			}
		} finally {
			remove_filter( 'syncline_webhook_rate_limit', $limit );
		}
		$this->assertSame( 'rate_limited', $answers[2]['ignored'] ?? null );
		$this->assertSame(
			array(
				1 => 1,
				2 => 1,
			),
			$this->changed()
		);
	}

	/** The target url carries the secret. */
	public function test_the_target_url_carries_the_secret(): void {
		$target = new WebhookTarget( new Options() );
		$this->assertStringContainsString( '/syncline/v1/webhooks/dolibarr/' . $this->secret, $target->url() );
		$old = $this->secret;
		$target->rotate();
		list( $status ) = $this->hook(
			array(
				'triggercode' => 'PRODUCT_MODIFY',
				'object'      => array( 'id' => 1 ),
			),
			$old
		);
		$this->assertSame( 404, $status, 'a rotated secret stops the old URL' );
	}

	/** The Settings button's route: admins only; it answers the target to create. */
	public function test_the_settings_route_answers_the_target_for_admins_only(): void {
		$this->assert_error( 401, 'syncline_forbidden', $this->dispatch( 'POST', '/syncline/v1/admin/webhooks/setup' ) );
		$this->login_as( 'administrator' );
		$r    = $this->dispatch( 'POST', '/syncline/v1/admin/webhooks/setup' );
		$data = (array) $r->get_data();
		$this->assertSame( 200, $r->get_status() );
		$this->assertStringEndsWith( '/syncline/v1/webhooks/dolibarr/' . $this->secret, (string) $data['url'] );
		$this->assertStringContainsString( 'STOCK_MOVEMENT', (string) $data['trigger_codes'] );
	}
}

<?php
/**
 * Wiring of stock (ATS) sync.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

use Syncline\Hooks\StockHooks;
use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\OutboxWriter;
use Syncline\Rest\SignatureVerifier;

/**
 * Builds the stock services for the composition root.
 */
final class StockModule {

	/**
	 * In-flight rows.
	 *
	 * @var InFlight
	 */
	private InFlight $inflight;

	/**
	 * Builds the module.
	 *
	 * @param Db      $db      Database.
	 * @param Options $options Options.
	 * @param Clock   $clock   Time.
	 */
	public function __construct( private Db $db, private Options $options, private Clock $clock ) {
		$this->inflight = new InFlight( $db, new OrderLines() );
	}

	/** The WooCommerce stock hooks. */
	public function hooks(): StockHooks {
		return new StockHooks( $this->inflight, $this->applier( new StoreProducts( $this->db ) ) );
	}

	/** The ack side. */
	public function acks(): StockAcks {
		return new StockAcks( $this->inflight );
	}

	/**
	 * The one writer of WooCommerce stock.
	 *
	 * @param StoreProducts $products SKU resolution.
	 */
	private function applier( StoreProducts $products ): StockApplier {
		return new StockApplier( $this->db, $products, $this->inflight, new StockInvariants( $this->db ) );
	}

	/** The signed stock routes. */
	public function controller(): StockController {
		$products = new StoreProducts( $this->db );
		return new StockController(
			new SignatureVerifier( $this->db, $this->options, $this->clock ),
			$this->applier( $products ),
			new UnknownSkus( $this->db, new OutboxWriter( $this->db, $this->options, $this->clock ), $this->clock ),
			$products
		);
	}
}

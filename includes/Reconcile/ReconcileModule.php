<?php
/**
 * Wiring of reconciliation.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Reconcile;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;
use Syncline\Outbox\Mappings;
use Syncline\Outbox\OutboxWriter;
use Syncline\Rest\SignatureVerifier;

/**
 * Builds the reconciliation services for the composition root and the CLI.
 */
final class ReconcileModule {

	/**
	 * Runs and items.
	 *
	 * @var ReconcileStore
	 */
	public readonly ReconcileStore $store;

	/**
	 * Repairs.
	 *
	 * @var Repair
	 */
	public readonly Repair $repair;

	/**
	 * Tables.
	 *
	 * @var ReconcileSchema
	 */
	public readonly ReconcileSchema $schema;

	/**
	 * Builds the module.
	 *
	 * @param Db      $db      Database.
	 * @param Options $options Options.
	 * @param Clock   $clock   Time.
	 */
	public function __construct( private Db $db, private Options $options, private Clock $clock ) {
		$writer       = new OutboxWriter( $db, $options, $clock );
		$this->store  = new ReconcileStore( $db, $writer, $clock );
		$this->repair = new Repair( $db, $writer, $this->store );
		$this->schema = new ReconcileSchema( $db, $options );
	}

	/** The scheduled job (queues a run). */
	public function job(): ReconcileJob {
		return new ReconcileJob( $this->store );
	}

	/** The sidecar's and the admin screen's routes. */
	public function controller(): ReconcileController {
		return new ReconcileController(
			new SignatureVerifier( $this->db, $this->options, $this->clock ),
			$this->store,
			new StoreSnapshot( $this->db, new OutboxWriter( $this->db, $this->options, $this->clock ) ),
			$this->repair,
			new Mappings( $this->db, $this->clock )
		);
	}
}

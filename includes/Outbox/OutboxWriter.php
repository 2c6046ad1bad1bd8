<?php
/**
 * Records outbox events: the only thing hook callbacks do.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Outbox;

use Syncline\Infrastructure\Clock;
use Syncline\Infrastructure\Db;
use Syncline\Infrastructure\Options;

/**
 * One INSERT per call, coalescing into the pending row of the same topic and object, if any.
 */
class OutboxWriter {

	/**
	 * Namespace UUID for correlation ids (derived once from the site secret).
	 *
	 * @var string|null
	 */
	private ?string $namespace = null;

	/**
	 * Builds the writer.
	 *
	 * @param Db      $db      Database.
	 * @param Options $options Options (the site secret).
	 * @param Clock   $clock   Time.
	 */
	public function __construct( private Db $db, private Options $options, private Clock $clock ) {
	}

	/**
	 * Records that an object changed. Never loads the object and never calls out.
	 *
	 * @param string $topic       E.g. order.created.
	 * @param string $object_type E.g. order.
	 * @param int    $object_id   The object's id.
	 */
	public function record( string $topic, string $object_type, int $object_id ): void {
		$now   = $this->clock->now();
		$table = $this->db->table( OutboxSchema::EVENTS );
		// One statement: a pending row with the same topic:object already exists → only its updated_at moves and its
		// version goes up (a lease that saw the row before this write no longer covers it: see ack_done()).
		$this->db->query(
			"INSERT INTO {$table}
				(topic, object_type, object_id, correlation_id, state, pending_key, attempts, available_at, created_at, updated_at)
			VALUES (%s, %s, %d, %s, %s, %s, 0, %d, %d, %d)
			ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at), version = version + 1",
			array(
				$topic,
				$object_type,
				$object_id,
				$this->correlation_id( $object_type, $object_id ),
				EventState::PENDING,
				$topic . ':' . $object_type . ':' . $object_id,
				$now,
				$now,
				$now,
			)
		);
	}

	/**
	 * The correlation id shared by every event of one object: UUID v5 of `<type>:<id>` in the site's namespace.
	 *
	 * @param string $object_type Object type.
	 * @param int    $object_id   Object id.
	 */
	public function correlation_id( string $object_type, int $object_id ): string {
		if ( null === $this->namespace ) {
			$this->namespace = Uuid::namespace_from_secret( $this->options->secret() );
		}
		return Uuid::v5( $this->namespace, $object_type . ':' . $object_id );
	}
}

<?php
/**
 * Shapes outbox rows and log rows for the admin screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

/**
 * Pure conversions from database rows (strings) to the JSON the React app reads.
 */
final class EventRows {

	/**
	 * An outbox row as listed in the Exceptions table.
	 *
	 * @param array<string, mixed> $row Database row.
	 * @param int                  $now Unix time.
	 * @return array<string, mixed>
	 */
	public static function summary( array $row, int $now ): array {
		$created = (int) ( $row['created_at'] ?? 0 );
		return array(
			'id'                 => (int) $row['id'],
			'topic'              => (string) ( $row['topic'] ?? '' ),
			'state'              => (string) ( $row['state'] ?? '' ),
			'object_type'        => (string) ( $row['object_type'] ?? '' ),
			'object_id'          => (int) ( $row['object_id'] ?? 0 ),
			'correlation_id'     => (string) ( $row['correlation_id'] ?? '' ),
			'attempts'           => (int) ( $row['attempts'] ?? 0 ),
			'last_error_code'    => self::nullable( $row['last_error_code'] ?? null ),
			'last_error_message' => self::nullable( $row['last_error_message'] ?? null ),
			'created_at'         => $created,
			'updated_at'         => (int) ( $row['updated_at'] ?? 0 ),
			'age_seconds'        => max( 0, $now - $created ),
		);
	}

	/**
	 * One exception row: the old fields of its oldest event (the one that met the problem first, so `id` and its
	 * Retry/Discard/Details buttons stay those of the row's first event; updated_at is the latest change), the
	 * group's key and the events behind it, newest first.
	 *
	 * @param ExceptionGroup                   $group  The group.
	 * @param array<int, array<string, mixed>> $events Its events, newest first (non-empty).
	 * @param int                              $now    Unix time.
	 * @return array<string, mixed>
	 */
	public static function group( ExceptionGroup $group, array $events, int $now ): array {
		$row     = self::summary( $events[ count( $events ) - 1 ], $now );
		$updated = max( array_map( static fn( array $e ): int => (int) $e['updated_at'], $events ) );
		return array_merge(
			$row,
			array(
				'updated_at'  => $updated,
				'group_key'   => $group->key(),
				'event_count' => count( $events ),
				'event_ids'   => array_map( static fn( array $e ): int => (int) $e['id'], $events ),
				'events'      => array_map(
					static fn( array $e ): array => array(
						'id'                 => (int) $e['id'],
						'topic'              => (string) $e['topic'],
						'correlation_id'     => (string) $e['correlation_id'],
						'attempts'           => (int) $e['attempts'],
						'last_error_message' => self::nullable( $e['last_error_message'] ?? null ),
						'created_at'         => (int) $e['created_at'],
						'updated_at'         => (int) $e['updated_at'],
					),
					$events
				),
			)
		);
	}

	/**
	 * Decodes a JSON column; keeps the raw text when it is not JSON.
	 *
	 * @param mixed $value Column value.
	 * @return mixed
	 */
	public static function json( $value ) {
		if ( null === $value || '' === $value ) {
			return null;
		}
		$decoded = json_decode( (string) $value, true );
		return JSON_ERROR_NONE === json_last_error() ? $decoded : (string) $value;
	}

	/**
	 * What a done event's push did, in a sentence for the order trace (null when it says nothing).
	 *
	 * @param mixed $result Decoded refs.
	 */
	public static function outcome( $result ): ?string {
		if ( ! is_array( $result ) ) {
			return null;
		}
		if ( isset( $result['coalesced_into'] ) ) {
			/* translators: %d: event id. */
			return sprintf( __( 'Sent with event #%d: that push read the order after this change.', 'syncline' ), (int) $result['coalesced_into'] );
		}
		$steps = isset( $result['steps'] ) && is_array( $result['steps'] ) ? array_map( 'strval', $result['steps'] ) : null;
		if ( null === $steps ) {
			return null;
		}
		if ( array() !== $steps ) {
			/* translators: %s: ERP steps, e.g. sales_order, validate_order. */
			return sprintf( __( 'Done in the ERP: %s.', 'syncline' ), implode( ', ', $steps ) );
		}
		$reason = isset( $result['reason'] ) && is_string( $result['reason'] ) ? $result['reason'] : '';
		return '' === $reason
			? __( 'Nothing left to do: the ERP had everything already.', 'syncline' )
			/* translators: %s: reason code, e.g. status_pending. */
			: sprintf( __( 'Nothing to send (%s).', 'syncline' ), $reason );
	}

	/**
	 * ERP documents from a done event's `result` refs.
	 *
	 * @param mixed $result Decoded refs.
	 * @return array<int, array<string, string|null>>
	 */
	public static function documents( $result ): array {
		if ( ! is_array( $result ) || ! isset( $result['documents'] ) || ! is_array( $result['documents'] ) ) {
			return array();
		}
		$out = array();
		foreach ( $result['documents'] as $doc ) {
			if ( ! is_array( $doc ) ) {
				continue;
			}
			$url   = isset( $doc['url'] ) && is_string( $doc['url'] ) && SettingsStore::is_http_url( $doc['url'] ) ? $doc['url'] : null;
			$out[] = array(
				'type' => (string) ( $doc['type'] ?? '' ),
				'id'   => (string) ( $doc['id'] ?? '' ),
				'ref'  => isset( $doc['ref'] ) ? (string) $doc['ref'] : null,
				'url'  => $url,
			);
		}
		return $out;
	}

	/**
	 * A log row, whatever the exact column names of the log table.
	 *
	 * @param array<string, mixed> $row Database row.
	 * @return array<string, mixed>
	 */
	public static function log_entry( array $row ): array {
		$actor = $row['actor'] ?? null;
		if ( null === $actor && ! empty( $row['user_id'] ) ) {
			$user  = get_userdata( (int) $row['user_id'] );
			$actor = $user ? $user->user_login : '#' . (int) $row['user_id'];
		}
		return array(
			'id'      => (int) ( $row['id'] ?? 0 ),
			'at'      => (int) ( $row['created_at'] ?? $row['at'] ?? $row['logged_at'] ?? 0 ),
			'kind'    => (string) ( $row['kind'] ?? $row['type'] ?? $row['action'] ?? $row['outcome'] ?? '' ),
			'message' => (string) ( $row['message'] ?? $row['error_message'] ?? $row['note'] ?? '' ),
			'actor'   => null === $actor ? null : (string) $actor,
			'details' => self::json( $row['details'] ?? $row['context'] ?? null ),
		);
	}

	/**
	 * Empty strings and NULL become null.
	 *
	 * @param mixed $value Column value.
	 */
	private static function nullable( $value ): ?string {
		return null === $value || '' === $value ? null : (string) $value;
	}
}

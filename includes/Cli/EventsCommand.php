<?php
/**
 * `wp syncline events|exceptions|retry|discard`.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Cli;

use Syncline\Exception\SynclineException;
use Syncline\Outbox\EventState;
use Syncline\Outbox\OutboxQueries;

/**
 * Outbox rows, the exception queue and the manual actions on it.
 */
class EventsCommand {

	private const FIELDS = array( 'id', 'topic', 'object_id', 'state', 'attempts', 'last_error_code', 'last_error_message', 'correlation_id' );

	/**
	 * Builds the command.
	 *
	 * @param OutboxQueries $queries Outbox reads and manual actions.
	 */
	public function __construct( private OutboxQueries $queries ) {
	}

	/**
	 * Lists outbox events, newest first.
	 *
	 * ## OPTIONS
	 *
	 * [--state=<state>]
	 * : Only events in this state (pending, leased, done, needs_human, discarded).
	 *
	 * [--limit=<n>]
	 * : How many.
	 * ---
	 * default: 50
	 * ---
	 *
	 * [--format=<format>]
	 * : Output format (table, json, csv, ids).
	 * ---
	 * default: table
	 * ---
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function events( array $args, array $assoc ): void {
		$state = $assoc['state'] ?? null;
		if ( null !== $state && ! in_array( $state, EventState::ALL, true ) ) {
			/* translators: %s: allowed states. */
			\WP_CLI::error( sprintf( __( 'Unknown state; use one of: %s', 'syncline' ), implode( ', ', EventState::ALL ) ) );
		}
		$page = $this->queries->page( $state, 1, max( 1, min( 1000, (int) ( $assoc['limit'] ?? 50 ) ) ) );
		\WP_CLI\Utils\format_items( $assoc['format'] ?? 'table', $page['rows'], self::FIELDS );
	}

	/**
	 * The exception queue: list the events that need a human, put them back in the queue, or discard them.
	 *
	 * ## OPTIONS
	 *
	 * <action>
	 * : list, retry or discard.
	 * ---
	 * options:
	 *   - list
	 *   - retry
	 *   - discard
	 * ---
	 *
	 * [<id>...]
	 * : (retry, discard) Event ids.
	 *
	 * [--code=<code>]
	 * : (list) Only this error code; (retry) every exception with this code, e.g. unmapped_sku.
	 *
	 * [--reason=<reason>]
	 * : (discard) Why they are discarded (kept for audit).
	 *
	 * [--format=<format>]
	 * : (list) Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 *   - ids
	 *   - count
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline exceptions list --format=json
	 *     wp syncline exceptions retry 12 13
	 *     wp syncline exceptions retry --code=unmapped_sku
	 *     wp syncline exceptions discard 14 --reason="test order"
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function exceptions( array $args, array $assoc ): void {
		$action = array_shift( $args );
		if ( 'retry' === $action ) {
			$this->retry( $args, $assoc );
			return;
		}
		if ( 'discard' === $action ) {
			$this->discard_many( $args, $assoc );
			return;
		}
		$rows = $this->queries->page( EventState::NEEDS_HUMAN, 1, 1000 )['rows'];
		if ( isset( $assoc['code'] ) ) {
			$rows = array_values( array_filter( $rows, static fn ( $r ) => ( $r['last_error_code'] ?? '' ) === $assoc['code'] ) );
		}
		\WP_CLI\Utils\format_items( $assoc['format'] ?? 'table', $rows, self::FIELDS );
	}

	/**
	 * Discards several exceptions with one reason.
	 *
	 * @param array<int, string>    $args  Event ids.
	 * @param array<string, string> $assoc Options.
	 */
	private function discard_many( array $args, array $assoc ): void {
		$reason = trim( (string) ( $assoc['reason'] ?? '' ) );
		if ( '' === $reason ) {
			\WP_CLI::error( __( 'A --reason is required.', 'syncline' ) );
		}
		if ( array() === $args ) {
			\WP_CLI::error( __( 'Give the event ids to discard.', 'syncline' ) );
		}
		$failed = 0;
		foreach ( $args as $id ) {
			try {
				$this->queries->discard( self::id( $id ), $reason );
				/* translators: %d: event id. */
				\WP_CLI::log( sprintf( __( 'Event %d discarded.', 'syncline' ), (int) $id ) );
			} catch ( SynclineException $e ) {
				\WP_CLI::warning( $e->getMessage() );
				++$failed;
			}
		}
		$this->finish( $failed, count( $args ) );
	}

	/**
	 * An event id argument; stops with an error when it is not one.
	 *
	 * @param string $value Argument.
	 */
	private static function id( string $value ): int {
		if ( 1 !== preg_match( '/^[1-9]\d{0,18}$/', $value ) ) {
			/* translators: %s: the value given. */
			\WP_CLI::error( sprintf( __( 'Not an event id: %s', 'syncline' ), $value ) );
		}
		return (int) $value;
	}

	/**
	 * Puts exceptions back in the queue (attempts reset), by id or by error code.
	 *
	 * ## OPTIONS
	 *
	 * [<id>...]
	 * : Event ids.
	 *
	 * [--code=<code>]
	 * : Retry every exception with this error code, e.g. unmapped_sku.
	 *
	 * ## EXAMPLES
	 *
	 *     wp syncline retry 12 13
	 *     wp syncline retry --code=unmapped_sku
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function retry( array $args, array $assoc ): void {
		if ( isset( $assoc['code'] ) ) {
			$ids = $this->queries->retry_by_code( (string) $assoc['code'] );
			/* translators: %d: number of events. */
			\WP_CLI::success( sprintf( __( '%d event(s) back in the queue.', 'syncline' ), count( $ids ) ) );
			return;
		}
		if ( array() === $args ) {
			\WP_CLI::error( __( 'Give event ids or --code.', 'syncline' ) );
		}
		$failed = 0;
		foreach ( $args as $id ) {
			try {
				$this->queries->retry( self::id( $id ) );
				/* translators: %d: event id. */
				\WP_CLI::log( sprintf( __( 'Event %d back in the queue.', 'syncline' ), (int) $id ) );
			} catch ( SynclineException $e ) {
				\WP_CLI::warning( $e->getMessage() );
				++$failed;
			}
		}
		$this->finish( $failed, count( $args ) );
	}

	/**
	 * Discards an exception, keeping the reason for audit.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Event id.
	 *
	 * --reason=<reason>
	 * : Why it is discarded.
	 *
	 * @param array<int, string>    $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function discard( array $args, array $assoc ): void {
		$reason = trim( (string) ( $assoc['reason'] ?? '' ) );
		if ( '' === $reason ) {
			\WP_CLI::error( __( 'A --reason is required.', 'syncline' ) );
		}
		try {
			$this->queries->discard( (int) $args[0], $reason );
		} catch ( SynclineException $e ) {
			\WP_CLI::error( $e->getMessage() );
		}
		/* translators: %d: event id. */
		\WP_CLI::success( sprintf( __( 'Event %d discarded.', 'syncline' ), (int) $args[0] ) );
	}

	/**
	 * Summary and exit code of a batch.
	 *
	 * @param int $failed How many failed.
	 * @param int $total  How many were asked.
	 */
	private function finish( int $failed, int $total ): void {
		if ( $failed > 0 ) {
			/* translators: 1: failed count, 2: total. */
			\WP_CLI::error( sprintf( __( '%1$d of %2$d failed.', 'syncline' ), $failed, $total ) );
		}
		/* translators: %d: count. */
		\WP_CLI::success( sprintf( __( '%d done.', 'syncline' ), $total ) );
	}
}

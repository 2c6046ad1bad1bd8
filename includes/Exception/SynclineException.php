<?php
/**
 * Marker for every exception Syncline throws.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Exception;

/**
 * Implemented by all of Syncline's exceptions; the edges (REST funnel, CLI) convert them.
 */
interface SynclineException extends \Throwable {
}

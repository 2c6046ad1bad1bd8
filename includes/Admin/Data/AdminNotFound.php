<?php
/**
 * A missing event or order asked for by the admin screen.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Admin\Data;

/**
 * Thrown by admin services; the REST funnel turns it into 404.
 */
final class AdminNotFound extends \RuntimeException {
}

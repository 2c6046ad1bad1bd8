<?php
/**
 * The one permission rule of every admin route.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Rest;

use WP_Error;

/**
 * Admin routes need manage_woocommerce (cookie authentication with the REST nonce, through api-fetch).
 */
final class AdminPermission {

	/**
	 * True for users who may manage Syncline; a 401/403 error otherwise.
	 *
	 * @return true|WP_Error
	 */
	public static function check() {
		if ( current_user_can( 'manage_woocommerce' ) ) {
			return true;
		}
		return new WP_Error(
			'syncline_forbidden',
			__( 'You are not allowed to manage Syncline.', 'syncline' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}
}

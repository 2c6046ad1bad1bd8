<?php
/**
 * The one method of WooCommerce's wc/v3 orders controller Syncline uses.
 *
 * @package SynclineTests
 */

/**
 * Returns the stored wc/v3 JSON with meta_data and _links, as WooCommerce's controller would.
 */
class WC_REST_Orders_Controller {

	/**
	 * The order as a REST response.
	 *
	 * @param WC_Order        $order   Order.
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function prepare_object_for_response( $order, $request ) {
		$data = $order->get_data();
		$meta = array();
		foreach ( $order->get_meta_data() as $m ) {
			$meta[] = array(
				'id'    => (int) $m['id'],
				'key'   => (string) $m['key'],
				'value' => $m['value'],
			);
		}
		$out = array();
		foreach ( $data as $key => $value ) {
			$out[ $key ] = 'meta_data' === $key ? $meta : $value;
		}
		$response = new WP_REST_Response( $out );
		$base     = rest_url( 'wc/v3/orders' );
		$links    = array(
			'self'       => array( 'href' => $base . '/' . $order->get_id() ),
			'collection' => array( 'href' => $base ),
		);
		if ( ! empty( $data['customer_id'] ) ) {
			$links['customer'] = array( 'href' => rest_url( 'wc/v3/customers/' . (int) $data['customer_id'] ) );
		}
		$response->add_links( $links );
		return $response;
	}
}

<?php
/**
 * A tiny WC_Order: id, data in the wc/v3 shape, meta.
 *
 * @package SynclineTests
 */

/**
 * Just the methods Syncline's seam and the stand-in use.
 */
class WC_Order {

	/**
	 * Builds an order.
	 *
	 * @param int   $id   Id.
	 * @param array $data wc/v3 data (without meta_data).
	 * @param array $meta Meta: list of {id, key, value}.
	 */
	public function __construct( private int $id, private array $data, private array $meta ) {
	}

	/** Order id. */
	public function get_id(): int {
		return $this->id;
	}

	/** Status without wc- prefix. */
	public function get_status(): string {
		return (string) $this->data['status'];
	}

	/** The wc/v3 data (without meta_data and _links). */
	public function get_data(): array {
		return $this->data;
	}

	/**
	 * Replaces the wc/v3 data (stand-in internal).
	 *
	 * @param array $data wc/v3 data.
	 */
	public function set_data( array $data ): void {
		$this->data = $data;
	}

	/** Meta list of {id, key, value}. */
	public function get_meta_data(): array {
		return $this->meta;
	}

	/**
	 * One meta value.
	 *
	 * @param string $key    Key.
	 * @param bool   $single First value only.
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true ) {
		$values = array();
		foreach ( $this->meta as $m ) {
			if ( $m['key'] === $key ) {
				$values[] = $m['value'];
			}
		}
		if ( $single ) {
			return $values[0] ?? '';
		}
		return $values;
	}

	/**
	 * Sets a meta value (replacing the first with this key).
	 *
	 * @param string $key   Key.
	 * @param mixed  $value Value.
	 */
	public function update_meta_data( $key, $value ): void {
		foreach ( $this->meta as $i => $m ) {
			if ( $m['key'] === $key ) {
				$this->meta[ $i ]['value'] = $value;
				return;
			}
		}
		$max          = array_reduce( $this->meta, static fn ( $c, $m ) => max( $c, (int) $m['id'] ), 0 );
		$this->meta[] = array(
			'id'    => $max + 1,
			'key'   => $key,
			'value' => $value,
		);
	}

	/**
	 * Removes a meta key.
	 *
	 * @param string $key Key.
	 */
	public function delete_meta_data( $key ): void {
		$this->meta = array_values( array_filter( $this->meta, static fn ( $m ) => $m['key'] !== $key ) );
	}

	/** Saves the meta only, like WooCommerce's save_meta_data(): no woocommerce_update_order, the modified date stays. */
	public function save_meta_data(): void {
		wcstandin_store( $this->id, $this->data, $this->meta );
	}

	/** Saves data and meta; fires woocommerce_update_order like WooCommerce's data store. */
	public function save(): int {
		$this->data['date_modified']     = wcstandin_now();
		$this->data['date_modified_gmt'] = wcstandin_now();
		wcstandin_store( $this->id, $this->data, $this->meta );
		do_action( 'woocommerce_update_order', $this->id, $this );
		return $this->id;
	}
}

<?php
/**
 * What one apply request writes: pure decisions, no queries.
 *
 * @package Syncline
 */

declare( strict_types=1 );

namespace Syncline\Stock;

/**
 * Sorts readings into stale, unknown, not managed, unchanged, relative deltas and first-sight absolutes.
 */
final class ApplyPlan {

	/**
	 * New per-SKU states to store.
	 *
	 * @var array<string, array{ats: int, read_at: int}>
	 */
	public array $states = array();

	/**
	 * Product id => stock delta.
	 *
	 * @var array<int, int>
	 */
	public array $deltas = array();

	/**
	 * Product id => reading (first sight).
	 *
	 * @var array<int, array{sku: string, ats: int, read_at: int}>
	 */
	public array $absolute = array();

	/**
	 * Managed products without a _stock row.
	 *
	 * @var array<int, int>
	 */
	public array $needs_row = array();

	/**
	 * Parents of changed variations.
	 *
	 * @var array<int, int>
	 */
	public array $parents = array();

	/**
	 * Counters and lists of the response.
	 *
	 * @var array{applied: int, unchanged: int, skipped_stale: int, unknown_in_store: array<int, string>, not_managed: array<int, string>}
	 */
	private array $result = array(
		'applied'          => 0,
		'unchanged'        => 0,
		'skipped_stale'    => 0,
		'unknown_in_store' => array(),
		'not_managed'      => array(),
	);

	/**
	 * Builds the planner.
	 *
	 * @param array<string, array{id: int, parent: int, managed: bool, has_stock: bool, backorders: string}> $products Store products by SKU.
	 * @param array<string, array{ats: int, read_at: int}>                                                   $prior    Last states by SKU.
	 */
	public function __construct( private array $products, private array $prior ) {
	}

	/**
	 * Decides every reading.
	 *
	 * @param array<int, array{sku: string, ats: int, read_at: int}> $items   Readings.
	 * @param array<string, int>                                     $counted Counted quantity in each SKU's window.
	 */
	public function build( array $items, array $counted ): self {
		foreach ( $items as $item ) {
			$product = $this->products[ $item['sku'] ] ?? null;
			if ( null === $product ) {
				$this->result['unknown_in_store'][] = $item['sku'];
			} elseif ( ! $product['managed'] ) {
				$this->result['not_managed'][] = $item['sku'];
			} else {
				$this->decide( $item, $product, $counted[ $item['sku'] ] ?? 0 );
			}
		}
		return $this;
	}

	/**
	 * Decides one reading of a managed product.
	 *
	 * @param array{sku: string, ats: int, read_at: int}                                      $item    Reading.
	 * @param array{id: int, parent: int, managed: bool, has_stock: bool, backorders: string} $product Product.
	 * @param int                                                                             $counted Counted in the window.
	 */
	private function decide( array $item, array $product, int $counted ): void {
		$prior = $this->prior[ $item['sku'] ] ?? null;
		if ( null !== $prior && $item['read_at'] <= $prior['read_at'] ) {
			++$this->result['skipped_stale'];
			return;
		}
		$this->states[ $item['sku'] ] = array(
			'ats'     => $item['ats'],
			'read_at' => $item['read_at'],
		);
		if ( ! $product['has_stock'] ) {
			$this->needs_row[] = $product['id'];
		}
		if ( null === $prior ) {
			$this->absolute[ $product['id'] ] = $item;
		} else {
			$delta = $item['ats'] - $prior['ats'] + $counted;
			if ( 0 === $delta ) {
				++$this->result['unchanged'];
				return;
			}
			$this->deltas[ $product['id'] ] = $delta;
		}
		++$this->result['applied'];
		if ( $product['parent'] > 0 ) {
			$this->parents[] = $product['parent'];
		}
	}

	/**
	 * Ids whose _stock was written.
	 *
	 * @return array<int, int>
	 */
	public function changed_ids(): array {
		return array_merge( array_keys( $this->deltas ), array_keys( $this->absolute ) );
	}

	/**
	 * The route's response.
	 *
	 * @return array{applied: int, unchanged: int, skipped_stale: int, unknown_in_store: array<int, string>, not_managed: array<int, string>}
	 */
	public function result(): array {
		return $this->result;
	}
}

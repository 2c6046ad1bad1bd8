<?php
/**
 * Creates many products in a Dolibarr 20 through its own PHP API, in one process (scripts/env/dolibarr.ts uses
 * it above a few dozen refs: one HTTP create + one stock movement per product is far slower). Each product is
 * what POST /products + POST /stockmovements would make: Product::create (type product, 10.00 excl. tax, 20 %
 * VAT, on sale and purchase), then Product::correct_stock into warehouse 1 (a real stock movement).
 *
 * Usage: php dolibarr-products.php <web root> <qty> < refs (one per line). Prints one JSON line.
 *
 * @package Syncline
 */

// phpcs:disable -- Dolibarr's API and naming, not WordPress's.
$webroot = $argv[1] ?? '';
$qty     = (int) ( $argv[2] ?? 0 );
require __DIR__ . '/dolibarr-boot.php';
require_once DOL_DOCUMENT_ROOT . '/product/class/product.class.php';

$ids = array();
// One outer transaction: Dolibarr nests the per-product ones inside it (one commit instead of thousands).
$db->begin();
while ( ( $line = fgets( STDIN ) ) !== false ) {
	$ref = trim( $line );
	if ( '' === $ref ) {
		continue;
	}
	$p                  = new Product( $db );
	$p->ref             = $ref;
	$p->label           = $ref;
	$p->type            = Product::TYPE_PRODUCT;
	$p->price           = 10;
	$p->price_base_type = 'HT';
	$p->tva_tx          = 20;
	$p->status          = 1;
	$p->status_buy      = 1;
	$id                 = $p->create( $user );
	if ( $id <= 0 ) {
		fwrite( STDERR, "product $ref: " . $p->error . ' ' . implode( '; ', $p->errors ) . "\n" );
		$db->rollback();
		exit( 1 );
	}
	if ( $qty > 0 && $p->correct_stock( $user, 1, $qty, 0, 'Initial stock' ) < 0 ) {
		fwrite( STDERR, "stock of $ref: " . $p->error . "\n" );
		$db->rollback();
		exit( 1 );
	}
	$ids[ $ref ] = $id;
}
$db->commit();
echo json_encode( $ids ) . "\n";

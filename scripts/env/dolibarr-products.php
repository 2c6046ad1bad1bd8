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
define( 'NOSESSION', 1 );
define( 'NOREQUIREMENU', 1 );
define( 'NOREQUIREHTML', 1 );
define( 'NOREQUIREAJAX', 1 );
define( 'NOCSRFCHECK', 1 );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
chdir( $webroot );
require $webroot . '/master.inc.php';
require_once DOL_DOCUMENT_ROOT . '/product/class/product.class.php';

$user = new User( $db );
if ( $user->fetch( 0, 'admin' ) <= 0 ) {
	fwrite( STDERR, "no admin user\n" );
	exit( 1 );
}
$user->getrights();

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

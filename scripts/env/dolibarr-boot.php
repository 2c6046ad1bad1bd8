<?php
/**
 * Loads Dolibarr 20 from the CLI for the scripts beside this one (dolibarr-setup.php, dolibarr-products.php):
 * no session, menu, HTML or AJAX, Dolibarr's master.inc.php from the web root, and the admin user with its rights
 * in `$user`. Usage: `$webroot = …; require __DIR__ . '/dolibarr-boot.php';`
 *
 * @package Syncline
 */

// phpcs:disable -- Dolibarr's API and naming, not WordPress's.
define( 'NOSESSION', 1 );
define( 'NOREQUIREMENU', 1 );
define( 'NOREQUIREHTML', 1 );
define( 'NOREQUIREAJAX', 1 );
define( 'NOCSRFCHECK', 1 );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
chdir( $webroot );
require $webroot . '/master.inc.php';

$user = new User( $db );
if ( $user->fetch( 0, 'admin' ) <= 0 ) {
	fwrite( STDERR, "Dolibarr at $webroot has no admin user\n" );
	exit( 1 );
}
$user->getrights();

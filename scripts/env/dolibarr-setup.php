<?php
/**
 * Configures a freshly installed Dolibarr 20 through its own PHP API, from the CLI (see scripts/env/dolibarr.ts):
 * modules, company country, currency, stock-on-validate, warehouse 1, a bank account, and the admin's API key
 * (set through User::update, which stores it encrypted; a plain SQL update does not authenticate).
 *
 * Usage: php dolibarr-setup.php <web root> <api key>. Prints one JSON line.
 *
 * @package Syncline
 */

// phpcs:disable -- Dolibarr's API and naming, not WordPress's.
$webroot = $argv[1] ?? '';
$api_key = $argv[2] ?? '';
if ( '' === $webroot || '' === $api_key ) {
	fwrite( STDERR, "usage: php dolibarr-setup.php <web root> <api key>\n" );
	exit( 2 );
}
require __DIR__ . '/dolibarr-boot.php';
require_once DOL_DOCUMENT_ROOT . '/core/lib/admin.lib.php';
require_once DOL_DOCUMENT_ROOT . '/product/stock/class/entrepot.class.php';
require_once DOL_DOCUMENT_ROOT . '/compta/bank/class/account.class.php';

/**
 * Stops with a message on stderr.
 *
 * @param string $what What failed.
 */
function fail( string $what ): void {
	fwrite( STDERR, "dolibarr-setup: $what\n" );
	exit( 1 );
}

foreach ( array( 'modSociete', 'modProduct', 'modStock', 'modCommande', 'modFacture', 'modBanque', 'modApi', 'modExpedition', 'modWebhook', 'modCategorie' ) as $module ) {
	$r = activateModule( $module );
	if ( ! empty( $r['errors'] ) ) {
		fail( $module . ': ' . implode( '; ', $r['errors'] ) );
	}
}
$consts = array(
	'MAIN_INFO_SOCIETE_COUNTRY'        => '1:FR:France',
	'MAIN_INFO_SOCIETE_NOM'            => 'Syncline Test ERP',
	'MAIN_MONNAIE'                     => 'EUR',
	'STOCK_CALCULATE_ON_VALIDATE_ORDER' => '1',
);
foreach ( $consts as $name => $value ) {
	if ( dolibarr_set_const( $db, $name, $value, 'chaine', 0, '', $conf->entity ) < 0 ) {
		fail( "const $name" );
	}
}

$warehouse         = new Entrepot( $db );
$warehouse->ref    = 'WH-MAIN';
$warehouse->label  = 'WH-MAIN';
$warehouse->statut = 1;
$warehouse_id      = $warehouse->create( $user );
if ( $warehouse_id <= 0 ) {
	fail( 'warehouse: ' . $warehouse->error );
}

$bank                = new Account( $db );
$bank->ref           = 'BANK1';
$bank->label         = 'Main bank account';
$bank->courant       = Account::TYPE_CURRENT;
$bank->currency_code = 'EUR';
$bank->country_id    = 1;
$bank->date_solde    = dol_now();
$bank->status        = 0;
$bank_id             = $bank->create( $user );
if ( $bank_id <= 0 ) {
	fail( 'bank account: ' . $bank->error );
}

$user->api_key = $api_key;
if ( $user->update( $user ) < 0 ) {
	fail( 'api key: ' . $user->error );
}
echo json_encode( array( 'warehouse_id' => $warehouse_id, 'bank_id' => $bank_id, 'user_id' => $user->id ) ) . "\n";

<?php
/**
 * Router for PHP's built-in server: serve real files, send everything else to WordPress.
 */
$syncline_path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$syncline_file = $_SERVER['DOCUMENT_ROOT'] . $syncline_path;
if ( '/' !== $syncline_path && file_exists( $syncline_file ) && ! is_dir( $syncline_file ) ) {
	return false;
}
if ( is_dir( $syncline_file ) && file_exists( rtrim( $syncline_file, '/' ) . '/index.php' ) ) {
	$_SERVER['SCRIPT_NAME'] = rtrim( $syncline_path, '/' ) . '/index.php';
	require rtrim( $syncline_file, '/' ) . '/index.php';
	return;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';

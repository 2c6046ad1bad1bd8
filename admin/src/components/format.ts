/**
 * Every date and duration of the screen, in the site's timezone (Settings → General), never the browser's: an admin
 * in Paris and one in New York read the same hour. Dates go through `@wordpress/date` (the `wp-date` script
 * WordPress registers, so nothing date-related is bundled): `dateI18n` without a timezone uses the site's zone name,
 * else its UTC offset, from the settings WordPress prints on the page.
 */
import { dateI18n } from '@wordpress/date';
import CurrencyFactory from '@woocommerce/currency';
import { __, _n, sprintf } from '@wordpress/i18n';

/** "2026-12-01 14:05" in the site's timezone; "—" when there is no time. */
export function formatTime( unix: number | null | undefined ): string {
	if ( ! unix ) {
		return '—';
	}
	return dateI18n( 'Y-m-d H:i', unix * 1000 );
}

/** "14:00": the hour a chart bucket starts, in the site's timezone. */
export function formatHour( unix: number ): string {
	return dateI18n( 'H:00', unix * 1000 );
}

/** "3 h 4 min" style durations for ages and uptimes. */
export function formatDuration( seconds: number | null | undefined ): string {
	if ( seconds === null || seconds === undefined || ! Number.isFinite( seconds ) ) {
		return __( 'unknown', 'syncline' );
	}
	const s = Math.max( 0, Math.round( seconds ) );
	const days = Math.floor( s / 86400 );
	const hours = Math.floor( ( s % 86400 ) / 3600 );
	const minutes = Math.floor( ( s % 3600 ) / 60 );
	if ( s < 60 ) {
		/* translators: %d: seconds */
		return sprintf( _n( '%d second', '%d seconds', s, 'syncline' ), s );
	}
	if ( s < 3600 ) {
		/* translators: %d: minutes */
		return sprintf( _n( '%d minute', '%d minutes', minutes, 'syncline' ), minutes );
	}
	if ( s < 86400 ) {
		/* translators: 1: hours, 2: minutes */
		return sprintf( __( '%1$d h %2$d min', 'syncline' ), hours, minutes );
	}
	/* translators: 1: days, 2: hours */
	return sprintf( __( '%1$d d %2$d h', 'syncline' ), days, hours );
}

/** A run time given in milliseconds: "850 ms", "12.4 s", then as formatDuration. */
export function formatMs( ms: number | null | undefined ): string {
	if ( ms === null || ms === undefined || ! Number.isFinite( ms ) ) {
		return '—';
	}
	if ( ms < 1000 ) {
		/* translators: %d: milliseconds */
		return sprintf( __( '%d ms', 'syncline' ), Math.round( ms ) );
	}
	if ( ms < 60000 ) {
		/* translators: %s: seconds with one decimal */
		return sprintf( __( '%s s', 'syncline' ), ( ms / 1000 ).toFixed( 1 ) );
	}
	return formatDuration( ms / 1000 );
}

/**
 * An order total as the store shows prices (WooCommerce's own currency formatter, wc-currency: symbol, position,
 * separators, decimals); a total in another currency than the store's keeps its code.
 */
export function formatMoney( total: string | null, currency: string | null ): string {
	if ( total === null || total === '' ) {
		return '—';
	}
	const store = CurrencyFactory();
	if ( ! currency || currency === store.code ) {
		return store.formatAmount( total );
	}
	return `${ total } ${ currency }`;
}

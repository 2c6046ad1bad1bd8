/**
 * Every date and duration of the screen, through date-fns in the site's timezone (Settings → General, read from
 * @wordpress/date's settings), never the browser's: an admin in Paris and one in New York read the same hour.
 */
import { format, intervalToDuration } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { getSettings } from '@wordpress/date';
import CurrencyFactory from '@woocommerce/currency';
import { __, _n, sprintf } from '@wordpress/i18n';

/** The site's IANA zone, else its fixed UTC offset as "+05:30" (sites set to "UTC+5.5" have no zone name). */
export function siteTimeZone(): string {
	const tz = getSettings().timezone;
	if ( tz.string ) {
		return tz.string;
	}
	const minutes = Math.round( Number( tz.offset ) * 60 ) || 0;
	const abs = Math.abs( minutes );
	const pad = ( n: number ) => String( n ).padStart( 2, '0' );
	return `${ minutes < 0 ? '-' : '+' }${ pad( Math.floor( abs / 60 ) ) }:${ pad( abs % 60 ) }`;
}

function inSite( unix: number ): TZDate {
	return new TZDate( unix * 1000, siteTimeZone() );
}

/** "2026-12-01 14:05" in the site's timezone; "—" when there is no time. */
export function formatTime( unix: number | null | undefined ): string {
	if ( ! unix ) {
		return '—';
	}
	return format( inSite( unix ), 'yyyy-MM-dd HH:mm' );
}

/** "14:00": the hour a chart bucket starts, in the site's timezone. */
export function formatHour( unix: number ): string {
	return format( inSite( unix ), 'HH:00' );
}

/** "3 h 4 min" style durations for ages and uptimes. */
export function formatDuration( seconds: number | null | undefined ): string {
	if ( seconds === null || seconds === undefined || ! Number.isFinite( seconds ) ) {
		return __( 'unknown', 'syncline' );
	}
	const s = Math.max( 0, Math.round( seconds ) );
	const d = intervalToDuration( { start: 0, end: s * 1000 } );
	const days = Math.floor( s / 86400 );
	const hours = d.hours ?? 0;
	const minutes = d.minutes ?? 0;
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

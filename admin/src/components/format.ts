import { __, _n, sprintf } from '@wordpress/i18n';

/** "3 h 4 min" style durations for ages and uptimes. */
export function formatDuration( seconds: number | null | undefined ): string {
	if ( seconds === null || seconds === undefined || ! Number.isFinite( seconds ) ) {
		return __( 'unknown', 'syncline' );
	}
	const s = Math.max( 0, Math.round( seconds ) );
	if ( s < 60 ) {
		/* translators: %d: seconds */
		return sprintf( _n( '%d second', '%d seconds', s, 'syncline' ), s );
	}
	if ( s < 3600 ) {
		/* translators: %d: minutes */
		return sprintf( _n( '%d minute', '%d minutes', Math.floor( s / 60 ), 'syncline' ), Math.floor( s / 60 ) );
	}
	if ( s < 86400 ) {
		/* translators: 1: hours, 2: minutes */
		return sprintf( __( '%1$d h %2$d min', 'syncline' ), Math.floor( s / 3600 ), Math.floor( ( s % 3600 ) / 60 ) );
	}
	/* translators: 1: days, 2: hours */
	return sprintf( __( '%1$d d %2$d h', 'syncline' ), Math.floor( s / 86400 ), Math.floor( ( s % 86400 ) / 3600 ) );
}

export function formatTime( unix: number | null | undefined ): string {
	if ( ! unix ) {
		return '—';
	}
	return new Date( unix * 1000 ).toLocaleString();
}

import { formatHour } from './format';
import { __, sprintf } from '@wordpress/i18n';

/** 24 bars in plain SVG: orders pushed per hour. The numbers are also in a visually hidden table for screen readers. */
export function HourlyChart( { buckets }: { buckets: Array< { hour_start: number; count: number } > } ) {
	const max = Math.max( 1, ...buckets.map( ( b ) => b.count ) );
	const w = 480;
	const h = 100;
	const bw = w / Math.max( 1, buckets.length );
	const total = buckets.reduce( ( a, b ) => a + b.count, 0 );
	return (
		<figure className="syncline-chart">
			<svg viewBox={ `0 0 ${ w } ${ h + 14 }` } role="img" aria-label={ sprintf(
				/* translators: %d: orders pushed in the last 24 hours */
				__( '%d orders pushed in the last 24 hours, per hour', 'syncline' ),
				total
			) }>
				{ buckets.map( ( b, i ) => {
					const bh = Math.round( ( b.count / max ) * h );
					return (
						<g key={ b.hour_start }>
							<rect x={ i * bw + 1 } y={ h - bh } width={ bw - 2 } height={ bh } fill="#2271b1">
								<title>{ `${ formatHour( b.hour_start ) } — ${ b.count }` }</title>
							</rect>
							{ i % 6 === 0 && (
								<text x={ i * bw + 1 } y={ h + 12 } fontSize="10" fill="#50575e">
									{ formatHour( b.hour_start ) }
								</text>
							) }
						</g>
					);
				} ) }
			</svg>
			<figcaption>
				{ /* translators: %d: orders pushed */ }
				{ sprintf( __( 'Orders pushed in the last 24 hours: %d', 'syncline' ), total ) }
			</figcaption>
		</figure>
	);
}

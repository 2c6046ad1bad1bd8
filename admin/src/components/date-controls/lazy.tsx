/**
 * DataViews' date and date-time controls (its date filters and form fields: a calendar on react-day-picker,
 * date-fns and @date-fns/tz) loaded only when one is shown. webpack.config.js points DataViews' own imports of
 * `./date.mjs` and `./datetime.mjs` (in its dataform-controls index) at the two modules beside this one, so the
 * controls are a chunk of their own; no Syncline list has a date field today, so a list never downloads them.
 */
import { Spinner } from '@wordpress/components';
import { lazy, Suspense } from '@wordpress/element';
import type { ComponentType } from 'react';

export function lazyControl< Props extends object >( load: () => Promise< { default: ComponentType< Props > } > ): ComponentType< Props > {
	const Control = lazy( load );
	return function LazyDateControl( props: Props ) {
		return (
			<Suspense fallback={ <Spinner /> }>
				<Control { ...props } />
			</Suspense>
		);
	};
}

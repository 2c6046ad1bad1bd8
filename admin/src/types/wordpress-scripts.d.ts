/**
 * Types of the scripts WordPress and WooCommerce register and the page uses as externals (the dependency-extraction
 * plugin maps the imports to wp.preferences, wp.preferencesPersistence and wc.currency); their npm packages are
 * not installed, so only what the screen calls is declared here.
 */
declare module '@wordpress/preferences' {
	import type { StoreDescriptor } from '@wordpress/data';
	export const store: StoreDescriptor;
}

declare module '@wordpress/preferences-persistence' {
	export interface PersistenceLayer {
		get: () => Promise< Record< string, unknown > >;
		set: ( data: Record< string, unknown > ) => void;
	}
	/** What the block editor uses: the user's server data and a per-user localStorage copy, newest wins. */
	export function __unstableCreatePersistenceLayer( serverData: unknown, userId: number ): PersistenceLayer;
}

declare module '@woocommerce/currency' {
	export interface Currency {
		code: string;
		symbol: string;
		formatAmount: ( n: number | string, useCode?: boolean ) => string;
	}
	/** The store's currency (WooCommerce → Settings → General) when called without settings. */
	export default function CurrencyFactory( settings?: Record< string, unknown > ): Currency;
}

/** DataViews' own date controls (webpack.config.js aliases the folder; the package does not export it). */
declare module 'syncline-dataviews-controls/*' {
	import type { ComponentType } from 'react';
	const Control: ComponentType< object >;
	export default Control;
}

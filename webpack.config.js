/**
 * The admin bundle (build/admin): @wordpress/scripts' webpack config with WooCommerce's dependency-extraction
 * plugin in place of WordPress's, so `@woocommerce/*` imports resolve to the scripts WooCommerce registers
 * (wc-components, …) and `@wordpress/*` to WordPress's, and build/admin/index.asset.php lists both as
 * dependencies. Nothing of React, the WordPress packages or WooCommerce's scripts is bundled a second time.
 */
import defaultConfig from '@wordpress/scripts/config/webpack.config.js';
import WooCommerceDependencyExtractionWebpackPlugin from '@woocommerce/dependency-extraction-webpack-plugin';
import { fileURLToPath } from 'node:url';

const scriptConfig = Array.isArray( defaultConfig ) ? defaultConfig[ 0 ] : defaultConfig;

export default {
	...scriptConfig,
	module: {
		...scriptConfig.module,
		rules: [
			...scriptConfig.module.rules,
			// One copy of @wordpress/ui's styles instead of one per module (see admin/tools/ui-styles-loader.cjs).
			{
				test: /[\\/]@wordpress[\\/]ui[\\/]build-module[\\/].*\.mjs$/,
				use: [ fileURLToPath( new URL( './admin/tools/ui-styles-loader.cjs', import.meta.url ) ) ],
			},
		],
	},
	plugins: [
		...scriptConfig.plugins.filter( ( plugin ) => plugin.constructor.name !== 'DependencyExtractionWebpackPlugin' ),
		new WooCommerceDependencyExtractionWebpackPlugin( {
			// DataViews is bundled (WordPress registers no script for it); its stylesheet too, not a 'wp-dataviews/…' handle.
			requestToExternal: ( request ) => ( request.startsWith( '@wordpress/dataviews/' ) ? false : undefined ),
		} ),
	],
};

/**
 * The admin bundle (build/admin): @wordpress/scripts' webpack config with WooCommerce's dependency-extraction
 * plugin in place of WordPress's, so `@woocommerce/*` imports resolve to the scripts WooCommerce registers
 * (wc-components, …) and `@wordpress/*` to WordPress's, and build/admin/index.asset.php lists both as
 * dependencies. Nothing of React, the WordPress packages or WooCommerce's scripts is bundled a second time.
 */
import defaultConfig from '@wordpress/scripts/config/webpack.config.js';
import WooCommerceDependencyExtractionWebpackPlugin from '@woocommerce/dependency-extraction-webpack-plugin';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import webpack from 'webpack';

const here = ( path ) => fileURLToPath( new URL( path, import.meta.url ) );
// DataViews' form controls folder (not in the package's exports map, so reached by path).
const dataviewsControls = join( dirname( createRequire( import.meta.url ).resolve( '@wordpress/dataviews' ) ), '..', 'build-module', 'components', 'dataform-controls' );
const controlsIndex = /[\\/]@wordpress[\\/]dataviews[\\/]build-module[\\/]components[\\/]dataform-controls[\\/]index\.mjs$/;

const scriptConfig = Array.isArray( defaultConfig ) ? defaultConfig[ 0 ] : defaultConfig;

export default {
	...scriptConfig,
	resolve: {
		...scriptConfig.resolve,
		alias: { ...( scriptConfig.resolve?.alias ?? {} ), 'syncline-dataviews-controls': dataviewsControls },
	},
	module: {
		...scriptConfig.module,
		rules: [
			...scriptConfig.module.rules,
			// One copy of @wordpress/ui's styles instead of one per module (see admin/tools/ui-styles-loader.cjs).
			{
				test: /[\\/]@wordpress[\\/]ui[\\/]build-module[\\/].*\.mjs$/,
				use: [ here( './admin/tools/ui-styles-loader.cjs' ) ],
			},
		],
	},
	plugins: [
		// DataViews' date and date-time controls (calendar, date-fns, @date-fns/tz) load only when one is shown:
		// its controls index gets the lazy wrappers of admin/src/components/date-controls instead.
		new webpack.NormalModuleReplacementPlugin( /^\.\/(date|datetime)\.mjs$/, ( resource ) => {
			if ( controlsIndex.test( resource.contextInfo?.issuer ?? '' ) ) {
				resource.request = here( `./admin/src/components/date-controls/${ resource.request.slice( 2, -4 ) }.ts` );
			}
		} ),
		...scriptConfig.plugins.filter( ( plugin ) => plugin.constructor.name !== 'DependencyExtractionWebpackPlugin' ),
		new WooCommerceDependencyExtractionWebpackPlugin( {
			// DataViews is bundled (WordPress registers no script for it); its stylesheet too, not a 'wp-dataviews/…' handle.
			requestToExternal: ( request ) => ( request.startsWith( '@wordpress/dataviews/' ) ? false : undefined ),
		} ),
	],
};

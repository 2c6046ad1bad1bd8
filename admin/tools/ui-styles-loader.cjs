/**
 * Keeps one copy of @wordpress/ui's styles in the admin bundle. Each module of @wordpress/ui's build inlines the
 * style runtime and the full CSS of its component family (the twelve Menu modules each carry the whole Menu CSS),
 * so a bundle that uses DataViews holds the same strings dozens of times (about 200 KB minified). This loader
 * rewrites each module to import the runtime from @wordpress/style-runtime (the package the copies were made from)
 * and each CSS string from one module per style hash, which webpack then includes once. Behaviour is unchanged:
 * the same registerStyle( hash, css ) calls run with the same strings.
 *
 * Used as a normal loader on @wordpress/ui/build-module/**.mjs, and (with `?css=<hash>`) as the loader of the
 * per-hash CSS modules it asks for.
 */
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const RUNTIME = /\/\/ packages\/style-runtime\/src\/index\.ts\n[\s\S]*?(?=\n\/\/ packages\/)/;
const REGISTER = /registerStyle\("([0-9a-f]+)", ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\)/g;

let cssByHash = null;
function allCss( root ) {
	if ( cssByHash ) {
		return cssByHash;
	}
	cssByHash = new Map();
	const walk = ( dir ) => {
		for ( const e of fs.readdirSync( dir, { withFileTypes: true } ) ) {
			const p = path.join( dir, e.name );
			if ( e.isDirectory() ) {
				walk( p );
			} else if ( e.name.endsWith( '.mjs' ) ) {
				for ( const m of fs.readFileSync( p, 'utf8' ).matchAll( REGISTER ) ) {
					cssByHash.set( m[ 1 ], m[ 2 ] );
				}
			}
		}
	};
	walk( root );
	return cssByHash;
}

module.exports = function uiStylesLoader( source ) {
	const query = new URLSearchParams( ( this.query || '' ).replace( /^\?/, '' ) );
	const root = path.join( path.dirname( require.resolve( '@wordpress/ui/package.json' ) ), 'build-module' );
	const hash = query.get( 'css' );
	if ( hash ) {
		const css = allCss( root ).get( hash );
		if ( css === undefined ) {
			throw new Error( `ui-styles-loader: no CSS with hash ${ hash } in @wordpress/ui` );
		}
		return `export default ${ css };\n`;
	}
	if ( ! RUNTIME.test( source ) ) {
		return source;
	}
	const imports = new Set( [ 'import { registerStyle } from "@wordpress/style-runtime";' ] );
	const body = source.replace( RUNTIME, '' ).replace( REGISTER, ( _m, h ) => {
		imports.add( `import __wpUiCss_${ h } from ${ JSON.stringify( `!!${ __filename }?css=${ h }!${ path.join( root, 'index.mjs' ) }` ) };` );
		return `registerStyle("${ h }", __wpUiCss_${ h })`;
	} );
	return `${ [ ...imports ].join( '\n' ) }\n${ body }`;
};

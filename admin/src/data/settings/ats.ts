/**
 * The ATS rules as the Settings form edits them (rows of text) and as WordPress stores and the sidecar reads them
 * (src/engine/ats/rules.ts). The form converts leniently: what it cannot read goes to WordPress as typed, and
 * WordPress's validation (includes/Stock/AtsSettings.php) names the field.
 */

/** The sidecar's shape (`stock.rules`). */
export interface AtsRules {
	channels: Record< string, string[] >;
	safetyStock: { global: number; perSku: Record< string, number > };
	reserve: Record< string, { units: number } | { percent: number } >;
	kits: Record< string, { components: Record< string, number > } >;
}

/** One editable line: a key (channel, SKU, kit SKU) and its value as typed. */
export interface Row {
	key: string;
	value: string;
}

export interface AtsForm {
	channels: Row[];
	safetyGlobal: string;
	perSku: Row[];
	reserve: Row[];
	kits: Row[];
}

const rows = < T, >( map: Record< string, T >, text: ( v: T ) => string ): Row[] =>
	Object.entries( map ).map( ( [ key, value ] ) => ( { key, value: text( value ) } ) );

/** The form for stored rules; never saved: the channel sells the order warehouse, nothing else. */
export function toForm( rules: AtsRules | null, channel: string, warehouseId: number | null ): AtsForm {
	if ( ! rules ) {
		return { channels: [ { key: channel, value: warehouseId ? String( warehouseId ) : '' } ], safetyGlobal: '0', perSku: [], reserve: [], kits: [] };
	}
	return {
		channels: rows( rules.channels, ( ids ) => ids.join( ', ' ) ),
		safetyGlobal: String( rules.safetyStock.global ),
		perSku: rows( rules.safetyStock.perSku, String ),
		reserve: rows( rules.reserve, ( r ) => ( 'percent' in r ? `${ r.percent }%` : String( r.units ) ) ),
		kits: rows( rules.kits, ( k ) => Object.entries( k.components ).map( ( [ sku, qty ] ) => `${ sku }:${ qty }` ).join( ', ' ) ),
	};
}

/** A whole number when the text is one, else the text itself (for WordPress to refuse with its field error). */
function whole( text: string ): number | string {
	const t = text.trim();
	return /^\d+$/.test( t ) ? Number( t ) : t;
}

const filled = ( list: Row[] ) => list.filter( ( r ) => r.key.trim() !== '' || r.value.trim() !== '' );

function map< T >( list: Row[], value: ( text: string ) => T ): Record< string, T > {
	return Object.fromEntries( filled( list ).map( ( r ) => [ r.key.trim(), value( r.value ) ] ) );
}

/** `MUG:2, BOX` → { MUG: 2, BOX: 1 } (a SKU alone is one of it). */
function components( text: string ): Record< string, number | string > {
	const parts = text.split( ',' ).map( ( p ) => p.trim() ).filter( ( p ) => p !== '' );
	return Object.fromEntries( parts.map( ( p ) => {
		const at = p.lastIndexOf( ':' );
		return at < 0 ? [ p, 1 ] : [ p.slice( 0, at ).trim(), whole( p.slice( at + 1 ) ) ];
	} ) );
}

/** The rules to send (values WordPress will check). */
export function fromForm( form: AtsForm ): unknown {
	return {
		channels: map( form.channels, ( v ) => v.split( ',' ).map( ( id ) => id.trim() ).filter( ( id ) => id !== '' ) ),
		safetyStock: { global: whole( form.safetyGlobal ), perSku: map( form.perSku, whole ) },
		reserve: map( form.reserve, ( v ) => ( v.trim().endsWith( '%' ) ? { percent: whole( v.trim().slice( 0, -1 ) ) } : { units: whole( v ) } ) ),
		kits: map( form.kits, ( v ) => ( { components: components( v ) } ) ),
	};
}

import { Button, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { Row } from '../data/settings/ats';

interface Props {
	/** Names the group (its legend). */
	legend: string;
	/** What the group is for, and how its values are written. */
	help: string;
	keyLabel: string;
	valueLabel: string;
	addLabel: string;
	rows: Row[];
	onChange: ( rows: Row[] ) => void;
	/** The id of the group's error, when it has one. */
	errorId?: string;
}

/** Editable key → value lines (channels, SKUs, kits), with add and remove. */
export function RowsEditor( { legend, help, keyLabel, valueLabel, addLabel, rows, onChange, errorId }: Props ) {
	const set = ( i: number, row: Row ) => onChange( rows.map( ( r, j ) => ( j === i ? row : r ) ) );
	return (
		<fieldset className="syncline-rows" aria-invalid={ !! errorId } aria-describedby={ errorId }>
			<legend>{ legend }</legend>
			<p className="syncline-rows-help">{ help }</p>
			{ rows.map( ( row, i ) => (
				<div className="syncline-row" key={ i }>
					<TextControl label={ keyLabel } value={ row.key } onChange={ ( key: string ) => set( i, { ...row, key } ) } />
					<TextControl label={ valueLabel } value={ row.value } onChange={ ( value: string ) => set( i, { ...row, value } ) } />
					<Button
						variant="tertiary"
						isDestructive
						onClick={ () => onChange( rows.filter( ( _, j ) => j !== i ) ) }
						/* translators: 1: the group (e.g. Kits), 2: line number. */
						label={ sprintf( __( 'Remove line %2$d of %1$s', 'syncline' ), legend, i + 1 ) }
					>
						{ __( 'Remove', 'syncline' ) }
					</Button>
				</div>
			) ) }
			<Button variant="secondary" onClick={ () => onChange( [ ...rows, { key: '', value: '' } ] ) }>
				{ addLabel }
			</Button>
		</fieldset>
	);
}

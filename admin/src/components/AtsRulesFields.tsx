import { TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { AtsForm } from '../data/settings/ats';
import { FieldError } from './FieldError';
import { RowsEditor } from './RowsEditor';

interface Props {
	form: AtsForm;
	onChange: ( form: AtsForm ) => void;
	channel: string;
	onChannel: ( channel: string ) => void;
	/** Field errors of the last save. */
	errors: Record< string, string >;
}

const errId = ( field: string, errors: Record< string, string > ) => ( errors[ field ] ? `syncline-err-${ field }` : undefined );

/** Available to sell: channels → warehouses, safety stock, channel reserve, kits (includes/Stock/AtsSettings.php checks them). */
export function AtsRulesFields( { form, onChange, channel, onChannel, errors }: Props ) {
	return (
		<div className="syncline-ats">
			<TextControl
				label={ __( 'Channel this store sells as', 'syncline' ) }
				value={ channel }
				onChange={ onChannel }
				aria-invalid={ !! errors.ats_channel }
				aria-describedby={ errId( 'ats_channel', errors ) }
				help={ __( 'The store’s stock is what the ERP warehouses of this channel hold (listed below), less safety stock and reserve.', 'syncline' ) }
			/>
			<FieldError id="syncline-err-ats_channel" message={ errors.ats_channel } />
			<RowsEditor
				legend={ __( 'Warehouses per channel', 'syncline' ) }
				help={ __( 'Each sales channel and the ERP warehouse ids whose stock it sells, separated by commas (Dolibarr: the warehouse id; Odoo: the stock.warehouse id).', 'syncline' ) }
				keyLabel={ __( 'Channel', 'syncline' ) }
				valueLabel={ __( 'ERP warehouses (ids)', 'syncline' ) }
				addLabel={ __( 'Add a channel', 'syncline' ) }
				rows={ form.channels }
				onChange={ ( channels ) => onChange( { ...form, channels } ) }
				errorId={ errId( 'ats_channels', errors ) }
			/>
			<FieldError id="syncline-err-ats_channels" message={ errors.ats_channels } />
			<TextControl
				label={ __( 'Safety stock (units per SKU)', 'syncline' ) }
				type="number"
				min={ 0 }
				value={ form.safetyGlobal }
				onChange={ ( safetyGlobal: string ) => onChange( { ...form, safetyGlobal } ) }
				aria-invalid={ !! errors.ats_safety_global }
				aria-describedby={ errId( 'ats_safety_global', errors ) }
				help={ __( 'Units of every SKU never offered for sale, unless the SKU has its own figure below.', 'syncline' ) }
			/>
			<FieldError id="syncline-err-ats_safety_global" message={ errors.ats_safety_global } />
			<RowsEditor
				legend={ __( 'Safety stock per SKU', 'syncline' ) }
				help={ __( 'A SKU and the units of it held back (replaces the figure above for that SKU).', 'syncline' ) }
				keyLabel={ __( 'SKU', 'syncline' ) }
				valueLabel={ __( 'Units held back', 'syncline' ) }
				addLabel={ __( 'Add a SKU', 'syncline' ) }
				rows={ form.perSku }
				onChange={ ( perSku ) => onChange( { ...form, perSku } ) }
				errorId={ errId( 'ats_safety_per_sku', errors ) }
			/>
			<FieldError id="syncline-err-ats_safety_per_sku" message={ errors.ats_safety_per_sku } />
			<RowsEditor
				legend={ __( 'Channel reserve', 'syncline' ) }
				help={ __( 'Held back from a channel (for another one): whole units (5) or a percent of its warehouses’ stock (10%).', 'syncline' ) }
				keyLabel={ __( 'Reserved channel', 'syncline' ) }
				valueLabel={ __( 'Units or percent', 'syncline' ) }
				addLabel={ __( 'Add a reserve', 'syncline' ) }
				rows={ form.reserve }
				onChange={ ( reserve ) => onChange( { ...form, reserve } ) }
				errorId={ errId( 'ats_reserve', errors ) }
			/>
			<FieldError id="syncline-err-ats_reserve" message={ errors.ats_reserve } />
			<RowsEditor
				legend={ __( 'Kits', 'syncline' ) }
				help={ __( 'A kit SKU and its components as SKU:quantity, separated by commas (MUG:2, BOX:1). A kit sells as many as its scarcest component allows; a component may be another kit, never the kit itself.', 'syncline' ) }
				keyLabel={ __( 'Kit SKU', 'syncline' ) }
				valueLabel={ __( 'Components (SKU:quantity)', 'syncline' ) }
				addLabel={ __( 'Add a kit', 'syncline' ) }
				rows={ form.kits }
				onChange={ ( kits ) => onChange( { ...form, kits } ) }
				errorId={ errId( 'ats_kits', errors ) }
			/>
			<FieldError id="syncline-err-ats_kits" message={ errors.ats_kits } />
		</div>
	);
}

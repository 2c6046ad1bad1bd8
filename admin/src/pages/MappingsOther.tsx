import { Button, Card, CardBody, CardHeader, SelectControl, TextControl } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews';
import { useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { MAPPINGS_PATH, useDeleteMapping, useSaveMapping, type Mapping, type MappingChange, type MappingType } from '../data/mappings/other';
import { useSettings } from '../data/settings/hooks';
import { erpHelp } from '../erp';
import { DataList } from '../components/DataList';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../components/format';

interface TypeConfig {
	type: MappingType;
	title: string;
	description: string;
	keyLabel: string;
	valueLabel: string;
	/** Fixed choices of the value, when it has some. */
	choices?: Array< { label: string; value: string } >;
}

function configs( erp = 'dolibarr' ): TypeConfig[] {
	return [
		{
			type: 'order_status',
			title: __( 'Order statuses', 'syncline' ),
			description: __( 'Whether orders in a WooCommerce status are pushed to the ERP or skipped.', 'syncline' ),
			keyLabel: __( 'WooCommerce order status', 'syncline' ),
			valueLabel: __( 'Action', 'syncline' ),
			choices: [
				{ label: __( 'Push to the ERP', 'syncline' ), value: 'push' },
				{ label: __( 'Skip', 'syncline' ), value: 'skip' },
			],
		},
		{
			type: 'payment_method',
			title: __( 'Payment methods', 'syncline' ),
			keyLabel: __( 'Payment gateway id', 'syncline' ),
			description: erpHelp( erp ).payment,
			valueLabel: erpHelp( erp ).paymentValue,
		},
		{
			type: 'tax_rate',
			title: __( 'Tax rates', 'syncline' ),
			description: __( 'WooCommerce tax rate id → ERP VAT rate or code (e.g. 20 or 5.5).', 'syncline' ),
			keyLabel: __( 'WooCommerce tax rate id', 'syncline' ),
			valueLabel: __( 'ERP VAT rate or code', 'syncline' ),
		},
		{
			type: 'shipping_method',
			title: __( 'Shipping methods', 'syncline' ),
			description: __( 'Shipping method id (e.g. flat_rate) → ERP service product reference.', 'syncline' ),
			keyLabel: __( 'Shipping method id', 'syncline' ),
			valueLabel: __( 'ERP service product reference', 'syncline' ),
		},
		{
			type: 'shipment_status',
			title: __( 'Shipment statuses', 'syncline' ),
			description: __( 'ERP shipments → WooCommerce order status: partial (some lines shipped) or shipped (every line shipped) → an order status, or keep. Defaults: partial → partially-shipped, shipped → completed.', 'syncline' ),
			keyLabel: __( 'Shipment progress (partial or shipped)', 'syncline' ),
			valueLabel: __( 'WooCommerce order status or keep', 'syncline' ),
		},
	];
}

function FieldError( { id, message }: { id: string; message: string | undefined } ) {
	return message ? <p id={ id } className="syncline-field-error" role="alert">{ message }</p> : null;
}

const TYPE_VIEW: View = { type: 'table', page: 1, perPage: 10, search: '', filters: [], titleField: 'wc_key', fields: [ 'erp_value', 'changed' ], layout: {} };

function typeFields( cfg: TypeConfig ): Field< Mapping >[] {
	return [
		{ id: 'wc_key', label: cfg.keyLabel, enableHiding: false, getValue: ( { item } ) => item.wc_key, render: ( { item } ) => <code>{ item.wc_key }</code> },
		{ id: 'erp_value', label: cfg.valueLabel, getValue: ( { item } ) => item.erp_value, render: ( { item } ) => <code>{ item.erp_value }</code> },
		{ id: 'changed', label: __( 'Changed', 'syncline' ), getValue: ( { item } ) => item.updated_at, render: ( { item } ) => <span>{ `${ formatTime( item.updated_at ) } ${ item.updated_by ?? '' }` }</span> },
	];
}

function TypeSection( { cfg }: { cfg: TypeConfig } ) {
	const save = useSaveMapping( cfg.type );
	const del = useDeleteMapping( cfg.type );
	const empty = { wc_key: '', erp_value: cfg.choices?.[ 0 ]?.value ?? '' };
	const [ form, setForm ] = useState( empty );
	const [ ok, setOk ] = useState( false );
	const fields = useMemo( () => typeFields( cfg ), [ cfg ] );
	const errors = save.error?.fields ?? {};
	const keyErr = `syncline-err-${ cfg.type }-wc_key`;
	const valErr = `syncline-err-${ cfg.type }-erp_value`;
	const actions: Action< Mapping >[] = [
		{
			id: 'edit',
			label: __( 'Edit', 'syncline' ),
			isPrimary: true,
			callback: ( items ) => items[ 0 ] && setForm( { wc_key: items[ 0 ].wc_key, erp_value: items[ 0 ].erp_value } ),
		},
		{
			id: 'delete',
			label: __( 'Delete', 'syncline' ),
			supportsBulk: true,
			callback: async ( items ) => {
				for ( const m of items ) {
					await del.run( m.wc_key );
				}
			},
		},
	];
	return (
		<section className={ `syncline-mapping-section syncline-mapping-${ cfg.type }` } aria-labelledby={ `syncline-h-${ cfg.type }` }>
			<h3 id={ `syncline-h-${ cfg.type }` }>{ cfg.title }</h3>
			<p className="description">{ cfg.description }</p>
			<ErrorNotice error={ del.error } />
			<DataList< Mapping >
				viewKey={ `mappings-${ cfg.type }` }
				className="syncline-mapping-table"
				path={ `${ MAPPINGS_PATH }/${ cfg.type }` }
				route={ {} }
				fields={ fields }
				defaultView={ TYPE_VIEW }
				getItemId={ ( m ) => m.wc_key }
				actions={ actions }
				empty={ <p>{ __( 'No mappings.', 'syncline' ) }</p> }
			/>
			<form
				className="syncline-filters"
				onSubmit={ async ( e ) => {
					e.preventDefault();
					setOk( false );
					if ( await save.run( { wc_key: form.wc_key.trim(), erp_value: form.erp_value.trim() } ) ) {
						setOk( true );
						setForm( empty );
					}
				} }
			>
				<div>
					<TextControl label={ cfg.keyLabel } value={ form.wc_key } onChange={ ( v: string ) => setForm( { ...form, wc_key: v } ) }
						aria-invalid={ !! errors.wc_key } aria-describedby={ errors.wc_key ? keyErr : undefined } />
					<FieldError id={ keyErr } message={ errors.wc_key } />
				</div>
				<div>
					{ cfg.choices ? (
						<SelectControl label={ cfg.valueLabel } value={ form.erp_value } options={ cfg.choices }
							onChange={ ( v: string ) => setForm( { ...form, erp_value: v } ) } />
					) : (
						<TextControl label={ cfg.valueLabel } value={ form.erp_value } onChange={ ( v: string ) => setForm( { ...form, erp_value: v } ) }
							aria-invalid={ !! errors.erp_value } aria-describedby={ errors.erp_value ? valErr : undefined } />
					) }
					<FieldError id={ valErr } message={ errors.erp_value } />
				</div>
				<Button variant="primary" type="submit" disabled={ save.isBusy || ! form.wc_key.trim() || ! form.erp_value.trim() }>
					{ __( 'Save', 'syncline' ) }
				</Button>
				{ save.error && Object.keys( errors ).length === 0 && <ErrorNotice error={ save.error } /> }
				{ ok && <span className="syncline-ok" role="status">{ __( 'Mapping saved.', 'syncline' ) }</span> }
			</form>
		</section>
	);
}

const HISTORY_VIEW: View = { type: 'table', page: 1, perPage: 20, filters: [], fields: [ 'at', 'user', 'type', 'key', 'change' ], layout: {} };

function historyFields(): Field< MappingChange >[] {
	return [
		{ id: 'at', label: __( 'When', 'syncline' ), getValue: ( { item } ) => item.at, render: ( { item } ) => <span>{ formatTime( item.at ) }</span> },
		{ id: 'user', label: __( 'Who', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.user ?? '—' },
		{
			id: 'type',
			label: __( 'Type', 'syncline' ),
			enableSorting: false,
			getValue: ( { item } ) => item.type,
			elements: [ { value: 'sku', label: __( 'SKU', 'syncline' ) }, ...configs().map( ( c ) => ( { value: c.type, label: c.title } ) ) ],
			filterBy: { operators: [ 'is' ] },
		},
		{ id: 'key', label: __( 'Key', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.wc_key, render: ( { item } ) => <code>{ item.wc_key }</code> },
		{ id: 'change', label: __( 'Old → new', 'syncline' ), enableSorting: false, getValue: ( { item } ) => `${ item.old ?? '∅' } → ${ item.new ?? '∅' }` },
	];
}

function AllHistory() {
	const fields = useMemo( historyFields, [] );
	return (
		<>
			<h3>{ __( 'All mapping changes', 'syncline' ) }</h3>
			<DataList< MappingChange >
				viewKey="mappings-history"
				className="syncline-mapping-history"
				path={ `${ MAPPINGS_PATH }/history` }
				route={ { filters: { type: 'type' }, sort: { at: 'at' } } }
				fields={ fields }
				defaultView={ HISTORY_VIEW }
				getItemId={ ( c ) => String( c.id ) }
				empty={ <p>{ __( 'No changes recorded yet.', 'syncline' ) }</p> }
			/>
		</>
	);
}

/** The Mappings tab below the SKU section: one compact section per type, then every change. */
export function OtherMappings() {
	const erp = useSettings().data?.erp_type ?? 'dolibarr';
	return (
		<Card className="syncline-card syncline-other-mappings">
			<CardHeader>
				<h2>{ __( 'Other mappings', 'syncline' ) }</h2>
			</CardHeader>
			<CardBody>
				{ configs( erp ).map( ( cfg ) => <TypeSection key={ cfg.type } cfg={ cfg } /> ) }
				<AllHistory />
			</CardBody>
		</Card>
	);
}

import { Button, Card, CardBody, CardHeader, SelectControl, Spinner, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { useDeleteMapping, useMappingHistory, useMappings, useSaveMapping, type MappingType } from '../data/mappings/other';
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

function configs(): TypeConfig[] {
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
			description: __( 'Payment gateway id → ERP payment mode code, optionally :bank account id (e.g. CHQ or VIR:3).', 'syncline' ),
			keyLabel: __( 'Payment gateway id', 'syncline' ),
			valueLabel: __( 'ERP payment mode[:bank account]', 'syncline' ),
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
			type: 'warehouse_channel',
			title: __( 'Warehouses per channel', 'syncline' ),
			description: __( 'Sales channel (e.g. web) → ERP warehouse ids, separated by commas.', 'syncline' ),
			keyLabel: __( 'Channel', 'syncline' ),
			valueLabel: __( 'ERP warehouse ids', 'syncline' ),
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

function TypeSection( { cfg }: { cfg: TypeConfig } ) {
	const { items, error, isLoading } = useMappings( cfg.type );
	const save = useSaveMapping( cfg.type );
	const del = useDeleteMapping( cfg.type );
	const empty = { wc_key: '', erp_value: cfg.choices?.[ 0 ]?.value ?? '' };
	const [ form, setForm ] = useState( empty );
	const [ ok, setOk ] = useState( false );
	const fields = save.error?.fields ?? {};
	const keyErr = `syncline-err-${ cfg.type }-wc_key`;
	const valErr = `syncline-err-${ cfg.type }-erp_value`;
	return (
		<section className={ `syncline-mapping-section syncline-mapping-${ cfg.type }` } aria-labelledby={ `syncline-h-${ cfg.type }` }>
			<h3 id={ `syncline-h-${ cfg.type }` }>{ cfg.title }</h3>
			<p className="description">{ cfg.description }</p>
			<ErrorNotice error={ error ?? del.error } />
			{ isLoading && <Spinner /> }
			<table className="wp-list-table widefat fixed striped syncline-mapping-table">
				<thead>
					<tr>
						<th scope="col">{ cfg.keyLabel }</th>
						<th scope="col">{ cfg.valueLabel }</th>
						<th scope="col">{ __( 'Changed', 'syncline' ) }</th>
						<th scope="col">{ __( 'Actions', 'syncline' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ items.length === 0 && ! isLoading && (
						<tr className="no-items"><td colSpan={ 4 }>{ __( 'No mappings.', 'syncline' ) }</td></tr>
					) }
					{ items.map( ( m ) => (
						<tr key={ m.wc_key }>
							<td><code>{ m.wc_key }</code></td>
							<td><code>{ m.erp_value }</code></td>
							<td>{ formatTime( m.updated_at ) } { m.updated_by ?? '' }</td>
							<td>
								<Button variant="link" onClick={ () => setForm( { wc_key: m.wc_key, erp_value: m.erp_value } ) }
									aria-label={ sprintf( /* translators: %s: key */ __( 'Edit mapping of %s', 'syncline' ), m.wc_key ) }>
									{ __( 'Edit', 'syncline' ) }
								</Button>{ ' ' }
								<Button variant="link" isDestructive disabled={ del.isBusy } onClick={ () => del.run( m.wc_key ) }
									aria-label={ sprintf( /* translators: %s: key */ __( 'Delete mapping of %s', 'syncline' ), m.wc_key ) }>
									{ __( 'Delete', 'syncline' ) }
								</Button>
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
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
						aria-invalid={ !! fields.wc_key } aria-describedby={ fields.wc_key ? keyErr : undefined } />
					<FieldError id={ keyErr } message={ fields.wc_key } />
				</div>
				<div>
					{ cfg.choices ? (
						<SelectControl label={ cfg.valueLabel } value={ form.erp_value } options={ cfg.choices }
							onChange={ ( v: string ) => setForm( { ...form, erp_value: v } ) } />
					) : (
						<TextControl label={ cfg.valueLabel } value={ form.erp_value } onChange={ ( v: string ) => setForm( { ...form, erp_value: v } ) }
							aria-invalid={ !! fields.erp_value } aria-describedby={ fields.erp_value ? valErr : undefined } />
					) }
					<FieldError id={ valErr } message={ fields.erp_value } />
				</div>
				<Button variant="primary" type="submit" disabled={ save.isBusy || ! form.wc_key.trim() || ! form.erp_value.trim() }>
					{ __( 'Save', 'syncline' ) }
				</Button>
				{ save.error && Object.keys( fields ).length === 0 && <ErrorNotice error={ save.error } /> }
				{ ok && <span className="syncline-ok" role="status">{ __( 'Mapping saved.', 'syncline' ) }</span> }
			</form>
		</section>
	);
}

function AllHistory() {
	const { items, error } = useMappingHistory();
	return (
		<>
			<h3>{ __( 'All mapping changes', 'syncline' ) }</h3>
			<ErrorNotice error={ error } />
			<table className="wp-list-table widefat fixed striped syncline-mapping-history">
				<thead>
					<tr>
						<th scope="col">{ __( 'When', 'syncline' ) }</th>
						<th scope="col">{ __( 'Who', 'syncline' ) }</th>
						<th scope="col">{ __( 'Type', 'syncline' ) }</th>
						<th scope="col">{ __( 'Key', 'syncline' ) }</th>
						<th scope="col">{ __( 'Old → new', 'syncline' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ items.length === 0 && <tr className="no-items"><td colSpan={ 5 }>{ __( 'No changes recorded yet.', 'syncline' ) }</td></tr> }
					{ items.map( ( c ) => (
						<tr key={ c.id }>
							<td>{ formatTime( c.at ) }</td>
							<td>{ c.user ?? '—' }</td>
							<td>{ c.type }</td>
							<td><code>{ c.wc_key }</code></td>
							<td>{ `${ c.old ?? '∅' } → ${ c.new ?? '∅' }` }</td>
						</tr>
					) ) }
				</tbody>
			</table>
		</>
	);
}

/** The Mappings tab below the SKU section: one compact section per type, then every change. */
export function OtherMappings() {
	return (
		<Card className="syncline-card syncline-other-mappings">
			<CardHeader>
				<h2>{ __( 'Other mappings', 'syncline' ) }</h2>
			</CardHeader>
			<CardBody>
				{ configs().map( ( cfg ) => <TypeSection key={ cfg.type } cfg={ cfg } /> ) }
				<AllHistory />
			</CardBody>
		</Card>
	);
}

import { Button, Card, CardBody, CardHeader, CheckboxControl, Notice, SelectControl, Spinner, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { useSaveSettings, useSettings, type SettingsInput } from '../data/settings/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { ConnectionTest } from '../components/ConnectionTest';
import { WebhookSetup } from '../components/WebhookSetup';
import { ERP_NAMES, erpHelp } from '../erp';
import { FieldError } from '../components/FieldError';
import { AtsRulesFields } from '../components/AtsRulesFields';
import { OwnershipFields } from '../components/OwnershipFields';
import { fromForm, toForm, type AtsForm } from '../data/settings/ats';

/** What a save did to a field (not an error): e.g. the key removed after a URL change. */
function FieldNotice( { id, message }: { id: string; message: string | undefined } ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p id={ id } className="syncline-field-notice" role="status">
			{ message }
		</p>
	);
}

export function Settings() {
	const { data, error } = useSettings();
	const save = useSaveSettings();
	const [ form, setForm ] = useState< SettingsInput >( {
		erp_type: 'dolibarr',
		erp_url: '',
		erp_database: '',
		erp_login: '',
		warehouse_id: '',
		ref_prefix: 'WC-',
		delete_data_on_uninstall: false,
		invoice_at: 'completion',
		stock_pull_minutes: '',
		reconcile_hours: '',
		products_sync_minutes: '',
		ats_channel: 'web',
		products_owned_fields: [],
		products_create_missing: false,
	} );
	const [ ats, setAts ] = useState< AtsForm >( toForm( null, 'web', null ) );
	/** The rules go to WordPress once saved or edited; until then the sidecar's default (the order warehouse) applies. */
	const [ atsTouched, setAtsTouched ] = useState( false );
	const [ apiKey, setApiKey ] = useState( '' );
	const [ saved, setSaved ] = useState( false );
	const [ notices, setNotices ] = useState< Record< string, string > >( {} );
	const [ keySet, setKeySet ] = useState< boolean | null >( null );
	useEffect( () => {
		if ( data ) {
			setForm( {
				erp_type: data.erp_type || 'dolibarr',
				erp_url: data.erp_url,
				erp_database: data.erp_database ?? '',
				erp_login: data.erp_login ?? '',
				warehouse_id: data.warehouse_id ?? '',
				ref_prefix: data.ref_prefix || 'WC-',
				delete_data_on_uninstall: data.delete_data_on_uninstall,
				invoice_at: data.invoice_at,
				stock_pull_minutes: data.stock_pull_minutes,
				reconcile_hours: data.reconcile_hours,
				products_sync_minutes: data.products_sync_minutes,
				ats_channel: data.ats_channel,
				products_owned_fields: data.products_owned_fields,
				products_create_missing: data.products_create_missing,
			} );
			setAts( toForm( data.ats_rules, data.ats_channel, data.warehouse_id ) );
			setAtsTouched( data.ats_rules !== null );
		}
	}, [ data ] );
	if ( ! data ) {
		return error ? <ErrorNotice error={ error } /> : <Spinner />;
	}
	const fields = save.error?.fields ?? {};
	const help = erpHelp( form.erp_type );
	const odoo = form.erp_type === 'odoo';
	const submit = async ( e: { preventDefault: () => void } ) => {
		e.preventDefault();
		setSaved( false );
		setNotices( {} );
		const payload: SettingsInput = { ...form };
		if ( apiKey !== '' ) {
			payload.erp_api_key = apiKey;
		}
		if ( atsTouched ) {
			payload.ats_rules = fromForm( ats );
		}
		const result = await save.run( payload );
		if ( result ) {
			setApiKey( '' );
			setSaved( true );
			setNotices( result.notices ?? {} );
			setKeySet( result.erp_api_key_set );
			setAts( toForm( result.ats_rules, result.ats_channel, result.warehouse_id ) );
		}
	};
	return (
		<Card className="syncline-card">
			<CardHeader>
				<h2>{ __( 'ERP connection', 'syncline' ) }</h2>
			</CardHeader>
			<CardBody>
				<form onSubmit={ submit } className="syncline-settings" noValidate>
					{ saved && (
						<Notice status="success" onRemove={ () => setSaved( false ) }>
							{ __( 'Settings saved. The sidecar picks them up on its next start.', 'syncline' ) }
						</Notice>
					) }
					{ save.error && Object.keys( fields ).length === 0 && <ErrorNotice error={ save.error } /> }
					{ Object.keys( fields ).length > 0 && (
						<Notice status="error" isDismissible={ false }>
							{ __( 'Some fields need attention.', 'syncline' ) }
						</Notice>
					) }
					<SelectControl< string >
						label={ __( 'ERP', 'syncline' ) }
						value={ form.erp_type }
						options={ Object.entries( ERP_NAMES ).map( ( [ value, label ] ) => ( { label, value } ) ) }
						onChange={ ( v: string ) => setForm( { ...form, erp_type: v } ) }
						aria-invalid={ !! fields.erp_type }
					/>
					<FieldError id="syncline-err-erp_type" message={ fields.erp_type } />
					<TextControl
						label={ __( 'ERP URL', 'syncline' ) }
						type="url"
						value={ form.erp_url }
						onChange={ ( v: string ) => setForm( { ...form, erp_url: v } ) }
						aria-invalid={ !! fields.erp_url }
						aria-describedby={ fields.erp_url ? 'syncline-err-erp_url' : undefined }
						help={ help.url }
					/>
					<FieldError id="syncline-err-erp_url" message={ fields.erp_url } />
					{ odoo && (
						<>
							<TextControl
								label={ __( 'Odoo database', 'syncline' ) }
								value={ form.erp_database }
								onChange={ ( v: string ) => setForm( { ...form, erp_database: v } ) }
								aria-invalid={ !! fields.erp_database }
								aria-describedby={ fields.erp_database ? 'syncline-err-erp_database' : undefined }
								help={ __( 'The name of the Odoo database the shop’s company lives in (shown on Odoo’s database selector).', 'syncline' ) }
							/>
							<FieldError id="syncline-err-erp_database" message={ fields.erp_database } />
							<TextControl
								label={ __( 'Odoo login', 'syncline' ) }
								autoComplete="off"
								value={ form.erp_login }
								onChange={ ( v: string ) => setForm( { ...form, erp_login: v } ) }
								aria-invalid={ !! fields.erp_login }
								aria-describedby={ fields.erp_login ? 'syncline-err-erp_login' : undefined }
								help={ __( 'The login of the Odoo user Syncline acts as (usually an e-mail address); the API key below is this user’s.', 'syncline' ) }
							/>
							<FieldError id="syncline-err-erp_login" message={ fields.erp_login } />
						</>
					) }
					<TextControl
						label={ __( 'API key', 'syncline' ) }
						type="password"
						autoComplete="new-password"
						value={ apiKey }
						onChange={ setApiKey }
						help={ `${ help.key } ${
							( keySet ?? data.erp_api_key_set )
								? __( 'A key is set. Leave empty to keep it; type a new one to replace it. Changing the ERP URL without a new key removes it.', 'syncline' )
								: __( 'No key is set yet.', 'syncline' )
						}` }
					/>
					<FieldError id="syncline-err-erp_api_key" message={ fields.erp_api_key } />
					<FieldNotice id="syncline-notice-erp_api_key" message={ notices.erp_api_key } />
					<TextControl
						label={ __( 'Warehouse id', 'syncline' ) }
						type="number"
						min={ 1 }
						value={ String( form.warehouse_id ) }
						onChange={ ( v: string ) => setForm( { ...form, warehouse_id: v } ) }
						aria-invalid={ !! fields.warehouse_id }
					/>
					<FieldError id="syncline-err-warehouse_id" message={ fields.warehouse_id } />
					<TextControl
						label={ __( 'Order reference prefix', 'syncline' ) }
						value={ form.ref_prefix }
						onChange={ ( v: string ) => setForm( { ...form, ref_prefix: v } ) }
						aria-invalid={ !! fields.ref_prefix }
						aria-describedby={ fields.ref_prefix ? 'syncline-err-ref_prefix' : undefined }
						help={ __( 'Orders are recorded in the ERP as this prefix + the order number (WC- gives WC-1234). Give every shop sharing one ERP its own prefix.', 'syncline' ) }
					/>
					<FieldError id="syncline-err-ref_prefix" message={ fields.ref_prefix } />
					<h3>{ __( 'Documents and schedules', 'syncline' ) }</h3>
					<SelectControl
						label={ __( 'Make the ERP invoice', 'syncline' ) }
						value={ form.invoice_at }
						options={ [
							{ label: __( 'When the order is completed', 'syncline' ), value: 'completion' },
							{ label: __( 'When the payment is captured', 'syncline' ), value: 'capture' },
						] }
						onChange={ ( v: string ) => setForm( { ...form, invoice_at: v === 'capture' ? 'capture' : 'completion' } ) }
						aria-invalid={ !! fields.invoice_at }
						help={ __( 'The payment is recorded on the invoice once captured; refunds after the invoice become credit notes.', 'syncline' ) }
					/>
					<FieldError id="syncline-err-invoice_at" message={ fields.invoice_at } />
					<TextControl
						label={ __( 'Full stock pull every (minutes)', 'syncline' ) }
						type="number"
						min={ 1 }
						value={ String( form.stock_pull_minutes ) }
						onChange={ ( v: string ) => setForm( { ...form, stock_pull_minutes: v } ) }
						aria-invalid={ !! fields.stock_pull_minutes }
						help={ __( 'Changes pushed by the ERP (webhooks) and the sidecar’s changed-since reads arrive sooner; the full pull catches anything missed.', 'syncline' ) }
					/>
					<FieldError id="syncline-err-stock_pull_minutes" message={ fields.stock_pull_minutes } />
					<TextControl
						label={ __( 'Reconciliation every (hours)', 'syncline' ) }
						type="number"
						min={ 1 }
						value={ String( form.reconcile_hours ) }
						onChange={ ( v: string ) => setForm( { ...form, reconcile_hours: v } ) }
						aria-invalid={ !! fields.reconcile_hours }
					/>
					<FieldError id="syncline-err-reconcile_hours" message={ fields.reconcile_hours } />
					<TextControl
						label={ __( 'Full master data sync every (minutes)', 'syncline' ) }
						type="number"
						min={ 15 }
						value={ String( form.products_sync_minutes ) }
						onChange={ ( v: string ) => setForm( { ...form, products_sync_minutes: v } ) }
						aria-invalid={ !! fields.products_sync_minutes }
						help={ __( 'Products changed in the ERP arrive with the sidecar’s changed-since reads; the full sync also catches category changes.', 'syncline' ) }
					/>
					<FieldError id="syncline-err-products_sync_minutes" message={ fields.products_sync_minutes } />
					<h3>{ __( 'Available to sell (ATS)', 'syncline' ) }</h3>
					<AtsRulesFields
						form={ ats }
						onChange={ ( next ) => {
							setAts( next );
							setAtsTouched( true );
						} }
						channel={ form.ats_channel }
						onChannel={ ( v: string ) => setForm( { ...form, ats_channel: v } ) }
						errors={ fields }
					/>
					<h3>{ __( 'Master data', 'syncline' ) }</h3>
					<OwnershipFields
						owned={ form.products_owned_fields }
						onOwned={ ( v ) => setForm( { ...form, products_owned_fields: v } ) }
						createMissing={ form.products_create_missing }
						onCreateMissing={ ( v: boolean ) => setForm( { ...form, products_create_missing: v } ) }
						errors={ fields }
					/>
					<h3>{ __( 'Deleting the plugin', 'syncline' ) }</h3>
					<CheckboxControl
						label={ __( 'Delete all Syncline data when the plugin is deleted', 'syncline' ) }
						checked={ form.delete_data_on_uninstall }
						onChange={ ( v: boolean ) => setForm( { ...form, delete_data_on_uninstall: v } ) }
						help={
							form.delete_data_on_uninstall
								? __( 'Warning: deleting the plugin will then drop the outbox, the exception queue, the SKU map, the mappings, the stock state and every Syncline setting. This cannot be undone; orders not yet in the ERP will no longer be sent.', 'syncline' )
								: __( 'Off: deleting the plugin keeps its tables and settings, so reinstalling it carries on where it stopped.', 'syncline' )
						}
					/>
					<FieldError id="syncline-err-delete_data_on_uninstall" message={ fields.delete_data_on_uninstall } />
					<div className="syncline-actions">
						<Button variant="primary" type="submit" disabled={ save.isBusy }>
							{ __( 'Save settings', 'syncline' ) }
						</Button>
						{ save.isBusy && <Spinner /> }
					</div>
				</form>
				<h3>{ __( 'Test connection', 'syncline' ) }</h3>
				<ConnectionTest />
				<h3>{ __( 'Push from the ERP (webhooks)', 'syncline' ) }</h3>
				<WebhookSetup />
			</CardBody>
		</Card>
	);
}

import { Button, Card, CardBody, CardHeader, Notice, SelectControl, Spinner, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { useSaveSettings, useSettings, type SettingsInput } from '../data/settings/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { ConnectionTest } from '../components/ConnectionTest';

function FieldError( { id, message }: { id: string; message: string | undefined } ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p id={ id } className="syncline-field-error" role="alert">
			{ message }
		</p>
	);
}

export function Settings() {
	const { data, error } = useSettings();
	const save = useSaveSettings();
	const [ form, setForm ] = useState< SettingsInput >( { erp_type: 'dolibarr', erp_url: '', warehouse_id: '' } );
	const [ apiKey, setApiKey ] = useState( '' );
	const [ saved, setSaved ] = useState( false );
	useEffect( () => {
		if ( data ) {
			setForm( { erp_type: data.erp_type || 'dolibarr', erp_url: data.erp_url, warehouse_id: data.warehouse_id ?? '' } );
		}
	}, [ data ] );
	if ( ! data ) {
		return error ? <ErrorNotice error={ error } /> : <Spinner />;
	}
	const fields = save.error?.fields ?? {};
	const submit = async ( e: { preventDefault: () => void } ) => {
		e.preventDefault();
		setSaved( false );
		const payload: SettingsInput = { ...form };
		if ( apiKey !== '' ) {
			payload.erp_api_key = apiKey;
		}
		if ( await save.run( payload ) ) {
			setApiKey( '' );
			setSaved( true );
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
					<SelectControl
						label={ __( 'ERP', 'syncline' ) }
						value={ form.erp_type }
						options={ [ { label: 'Dolibarr', value: 'dolibarr' } ] }
						onChange={ ( v: string ) => setForm( { ...form, erp_type: v } ) }
					/>
					<TextControl
						label={ __( 'ERP URL', 'syncline' ) }
						type="url"
						value={ form.erp_url }
						onChange={ ( v: string ) => setForm( { ...form, erp_url: v } ) }
						aria-invalid={ !! fields.erp_url }
						aria-describedby={ fields.erp_url ? 'syncline-err-erp_url' : undefined }
						help={ __( 'The base URL of the ERP API, for example https://erp.example.com/api/index.php', 'syncline' ) }
					/>
					<FieldError id="syncline-err-erp_url" message={ fields.erp_url } />
					<TextControl
						label={ __( 'API key', 'syncline' ) }
						type="password"
						autoComplete="new-password"
						value={ apiKey }
						onChange={ setApiKey }
						help={
							data.erp_api_key_set
								? __( 'A key is set. Leave empty to keep it; type a new one to replace it.', 'syncline' )
								: __( 'No key is set yet.', 'syncline' )
						}
					/>
					<FieldError id="syncline-err-erp_api_key" message={ fields.erp_api_key } />
					<TextControl
						label={ __( 'Warehouse id', 'syncline' ) }
						type="number"
						min={ 1 }
						value={ String( form.warehouse_id ) }
						onChange={ ( v: string ) => setForm( { ...form, warehouse_id: v } ) }
						aria-invalid={ !! fields.warehouse_id }
					/>
					<FieldError id="syncline-err-warehouse_id" message={ fields.warehouse_id } />
					<div className="syncline-actions">
						<Button variant="primary" type="submit" disabled={ save.isBusy }>
							{ __( 'Save settings', 'syncline' ) }
						</Button>
						{ save.isBusy && <Spinner /> }
					</div>
				</form>
				<h3>{ __( 'Test connection', 'syncline' ) }</h3>
				<ConnectionTest />
			</CardBody>
		</Card>
	);
}

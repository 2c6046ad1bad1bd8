import { Button, Card, CardBody, CardHeader, Notice, Spinner, TextControl, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import apiFetch from '@wordpress/api-fetch';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useImportSku, useSaveSku, useSkuHistory, useSkuMappings, SKU_PATH } from '../data/mappings/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { Pagination } from '../components/Pagination';
import { formatTime } from '../components/format';
import { OtherMappings } from './MappingsOther';

function EditForm( { initial, onDone }: { initial: { wc_sku: string; erp_ref: string }; onDone: () => void } ) {
	const [ value, setValue ] = useState( initial );
	const save = useSaveSku();
	const [ ok, setOk ] = useState( false );
	return (
		<form
			className="syncline-filters"
			onSubmit={ async ( e ) => {
				e.preventDefault();
				setOk( false );
				if ( await save.run( { wc_sku: value.wc_sku.trim(), erp_ref: value.erp_ref.trim() } ) ) {
					setOk( true );
					setValue( { wc_sku: '', erp_ref: '' } );
					onDone();
				}
			} }
		>
			<TextControl label={ __( 'WooCommerce SKU', 'syncline' ) } value={ value.wc_sku } onChange={ ( v: string ) => setValue( { ...value, wc_sku: v } ) } />
			<TextControl label={ __( 'ERP product reference', 'syncline' ) } value={ value.erp_ref } onChange={ ( v: string ) => setValue( { ...value, erp_ref: v } ) } />
			<Button variant="primary" type="submit" disabled={ save.isBusy || ! value.wc_sku.trim() || ! value.erp_ref.trim() }>
				{ __( 'Save mapping', 'syncline' ) }
			</Button>
			<ErrorNotice error={ save.error } />
			{ ok && <span className="syncline-ok" role="status">{ __( 'Mapping saved.', 'syncline' ) }</span> }
		</form>
	);
}

function CsvImport() {
	const [ csv, setCsv ] = useState( '' );
	const imp = useImportSku();
	const [ result, setResult ] = useState< { saved: number; errors: Array< { line: number; message: string } > } | null >( null );
	return (
		<div className="syncline-import">
			<h3>{ __( 'Import CSV', 'syncline' ) }</h3>
			<p className="description">{ __( 'One mapping per line: wc_sku,erp_ref. A header line is allowed. Good rows are saved; bad rows are listed.', 'syncline' ) }</p>
			<label className="syncline-file">
				{ __( 'CSV file', 'syncline' ) }{ ' ' }
				<input
					type="file"
					accept=".csv,text/csv"
					onChange={ async ( e ) => {
						const f = e.target.files?.[ 0 ];
						if ( f ) {
							setCsv( await f.text() );
						}
					} }
				/>
			</label>
			<TextareaControl label={ __( 'CSV content', 'syncline' ) } value={ csv } onChange={ setCsv } rows={ 5 } />
			<Button
				variant="secondary"
				disabled={ imp.isBusy || csv.trim() === '' }
				onClick={ async () => {
					const r = await imp.run( csv );
					setResult( r );
				} }
			>
				{ __( 'Import', 'syncline' ) }
			</Button>
			<ErrorNotice error={ imp.error } />
			{ result && (
				<Notice status={ result.errors.length ? 'warning' : 'success' } onRemove={ () => setResult( null ) }>
					<p>
						{ /* translators: %d: saved rows */ }
						{ sprintf( _n( '%d mapping saved.', '%d mappings saved.', result.saved, 'syncline' ), result.saved ) }
					</p>
					{ result.errors.length > 0 && (
						<ul className="syncline-import-errors">
							{ result.errors.map( ( er ) => (
								<li key={ er.line }>
									{ /* translators: 1: line number, 2: message */ }
									{ sprintf( __( 'Line %1$d: %2$s', 'syncline' ), er.line, er.message ) }
								</li>
							) ) }
						</ul>
					) }
				</Notice>
			) }
		</div>
	);
}

async function exportCsv(): Promise< void > {
	const r = ( await apiFetch( { path: `${ SKU_PATH }/export` } ) ) as { filename: string; csv: string };
	const url = URL.createObjectURL( new Blob( [ r.csv ], { type: 'text/csv' } ) );
	const a = document.createElement( 'a' );
	a.href = url;
	a.download = r.filename;
	document.body.appendChild( a );
	a.click();
	a.remove();
	URL.revokeObjectURL( url );
}

function History() {
	const { items, error } = useSkuHistory();
	return (
		<>
			<h3>{ __( 'Recent changes', 'syncline' ) }</h3>
			<ErrorNotice error={ error } />
			<table className="wp-list-table widefat fixed striped syncline-sku-history">
				<thead>
					<tr>
						<th scope="col">{ __( 'When', 'syncline' ) }</th>
						<th scope="col">{ __( 'Who', 'syncline' ) }</th>
						<th scope="col">{ __( 'SKU', 'syncline' ) }</th>
						<th scope="col">{ __( 'Old → new', 'syncline' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ items.length === 0 && (
						<tr className="no-items"><td colSpan={ 4 }>{ __( 'No changes recorded yet.', 'syncline' ) }</td></tr>
					) }
					{ items.map( ( c, i ) => (
						<tr key={ `${ c.at }-${ c.wc_sku }-${ i }` }>
							<td>{ formatTime( c.at ) }</td>
							<td>{ c.user ?? '—' }</td>
							<td><code>{ c.wc_sku }</code></td>
							<td>{ `${ c.old_erp_ref ?? '∅' } → ${ c.new_erp_ref ?? '∅' }` }</td>
						</tr>
					) ) }
				</tbody>
			</table>
		</>
	);
}

export function Mappings() {
	const [ query, setQuery ] = useState( { search: '', page: 1, per_page: 20 } );
	const [ search, setSearch ] = useState( '' );
	const [ editing, setEditing ] = useState( { wc_sku: '', erp_ref: '' } );
	const [ formKey, setFormKey ] = useState( 0 );
	const { items, total, totalPages, error, isLoading } = useSkuMappings( query );
	return (
		<div className="syncline-mappings">
			<Card className="syncline-card">
				<CardHeader>
					<h2>{ __( 'SKU mappings', 'syncline' ) }</h2>
					<Button variant="secondary" onClick={ exportCsv }>
						{ __( 'Export CSV', 'syncline' ) }
					</Button>
				</CardHeader>
				<CardBody>
					<EditForm key={ formKey } initial={ editing } onDone={ () => setEditing( { wc_sku: '', erp_ref: '' } ) } />
					<form
						className="syncline-filters"
						onSubmit={ ( e ) => {
							e.preventDefault();
							setQuery( { ...query, search: search.trim(), page: 1 } );
						} }
					>
						<TextControl type="search" label={ __( 'Search SKUs', 'syncline' ) } value={ search } onChange={ setSearch } />
						<Button variant="secondary" type="submit">{ __( 'Search', 'syncline' ) }</Button>
					</form>
					<ErrorNotice error={ error } />
					{ isLoading && <Spinner /> }
					<table className="wp-list-table widefat fixed striped syncline-sku-table">
						<thead>
							<tr>
								<th scope="col">{ __( 'WooCommerce SKU', 'syncline' ) }</th>
								<th scope="col">{ __( 'ERP reference', 'syncline' ) }</th>
								<th scope="col">{ __( 'Changed', 'syncline' ) }</th>
								<th scope="col">{ __( 'Actions', 'syncline' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ items.length === 0 && ! isLoading && (
								<tr className="no-items"><td colSpan={ 4 }>{ __( 'No mappings.', 'syncline' ) }</td></tr>
							) }
							{ items.map( ( m ) => (
								<tr key={ m.wc_sku }>
									<td><code>{ m.wc_sku }</code></td>
									<td><code>{ m.erp_ref }</code></td>
									<td>{ formatTime( m.updated_at ) } { m.updated_by ?? '' }</td>
									<td>
										<Button
											variant="link"
											aria-label={ sprintf( /* translators: %s: SKU */ __( 'Edit mapping of %s', 'syncline' ), m.wc_sku ) }
											onClick={ () => {
												setEditing( { wc_sku: m.wc_sku, erp_ref: m.erp_ref } );
												setFormKey( formKey + 1 );
											} }
										>
											{ __( 'Edit', 'syncline' ) }
										</Button>
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<Pagination page={ query.page } totalPages={ totalPages } total={ total } onChange={ ( page ) => setQuery( { ...query, page } ) } />
					<CsvImport />
					<History />
				</CardBody>
			</Card>
			<OtherMappings />
		</div>
	);
}

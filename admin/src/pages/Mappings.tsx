import { Button, Card, CardBody, CardHeader, Notice, TextControl, TextareaControl } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews';
import { useMemo, useState } from '@wordpress/element';
import apiFetch from '@wordpress/api-fetch';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useImportSku, useSaveSku, SKU_PATH, type SkuChange, type SkuMapping } from '../data/mappings/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { DataList } from '../components/DataList';
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

const HISTORY_VIEW: View = { type: 'table', page: 1, perPage: 10, filters: [], fields: [ 'at', 'user', 'sku', 'change' ], layout: {} };

function historyFields(): Field< SkuChange >[] {
	return [
		{ id: 'at', label: __( 'When', 'syncline' ), getValue: ( { item } ) => item.at, render: ( { item } ) => <span>{ formatTime( item.at ) }</span> },
		{ id: 'user', label: __( 'Who', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.user ?? '—' },
		{ id: 'sku', label: __( 'SKU', 'syncline' ), enableSorting: false, getValue: ( { item } ) => item.wc_sku, render: ( { item } ) => <code>{ item.wc_sku }</code> },
		{ id: 'change', label: __( 'Old → new', 'syncline' ), enableSorting: false, getValue: ( { item } ) => `${ item.old_erp_ref ?? '∅' } → ${ item.new_erp_ref ?? '∅' }` },
	];
}

function History() {
	const fields = useMemo( historyFields, [] );
	return (
		<>
			<h3>{ __( 'Recent changes', 'syncline' ) }</h3>
			<DataList< SkuChange >
				viewKey="sku-history"
				className="syncline-sku-history"
				path={ `${ SKU_PATH }/history` }
				route={ { sort: { at: 'at' } } }
				fields={ fields }
				defaultView={ HISTORY_VIEW }
				getItemId={ ( c ) => `${ c.at }-${ c.wc_sku }-${ c.new_erp_ref ?? '' }` }
				empty={ <p>{ __( 'No changes recorded yet.', 'syncline' ) }</p> }
			/>
		</>
	);
}

const SKU_VIEW: View = { type: 'table', page: 1, perPage: 20, search: '', filters: [], titleField: 'wc_sku', fields: [ 'erp_ref', 'changed' ], layout: {} };

function skuFields(): Field< SkuMapping >[] {
	return [
		{ id: 'wc_sku', label: __( 'WooCommerce SKU', 'syncline' ), enableHiding: false, getValue: ( { item } ) => item.wc_sku, render: ( { item } ) => <code>{ item.wc_sku }</code> },
		{ id: 'erp_ref', label: __( 'ERP reference', 'syncline' ), getValue: ( { item } ) => item.erp_ref, render: ( { item } ) => <code>{ item.erp_ref }</code> },
		{ id: 'changed', label: __( 'Changed', 'syncline' ), getValue: ( { item } ) => item.updated_at ?? 0, render: ( { item } ) => <span>{ `${ formatTime( item.updated_at ) } ${ item.updated_by ?? '' }` }</span> },
	];
}

export function Mappings() {
	const [ editing, setEditing ] = useState( { wc_sku: '', erp_ref: '' } );
	const [ formKey, setFormKey ] = useState( 0 );
	const fields = useMemo( skuFields, [] );
	const actions: Action< SkuMapping >[] = [
		{
			id: 'edit',
			label: __( 'Edit', 'syncline' ),
			isPrimary: true,
			callback: ( items ) => {
				const m = items[ 0 ];
				if ( m ) {
					setEditing( { wc_sku: m.wc_sku, erp_ref: m.erp_ref } );
					setFormKey( ( k ) => k + 1 );
				}
			},
		},
	];
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
					<DataList< SkuMapping >
						viewKey="sku-mappings"
						className="syncline-sku-table"
						path={ SKU_PATH }
						route={ { search: 'search', sort: { wc_sku: 'wc_sku', erp_ref: 'erp_ref', changed: 'changed' } } }
						fields={ fields }
						defaultView={ SKU_VIEW }
						getItemId={ ( m ) => m.wc_sku }
						actions={ actions }
						searchLabel={ __( 'Search SKUs', 'syncline' ) }
						empty={ <p>{ __( 'No mappings.', 'syncline' ) }</p> }
					/>
					<CsvImport />
					<History />
				</CardBody>
			</Card>
			<OtherMappings />
		</div>
	);
}

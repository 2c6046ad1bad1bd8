import { Button, Modal, Notice, SelectControl, Spinner, TextControl, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useDiscardEvent, useExceptions, useRetryByCode, useRetryEvent, type ExceptionRow, type ExceptionsQuery } from '../data/exceptions/hooks';
import { useOverview } from '../data/overview/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { Pagination } from '../components/Pagination';
import { formatDuration } from '../components/format';
import { ExceptionDetails } from './ExceptionDetails';

const PER_PAGE = 20;

function DiscardModal( { row, onClose }: { row: ExceptionRow; onClose: () => void } ) {
	const [ reason, setReason ] = useState( '' );
	const discard = useDiscardEvent();
	return (
		/* translators: %d: event id */
		<Modal title={ sprintf( __( 'Discard event #%d', 'syncline' ), row.id ) } onRequestClose={ onClose }>
			<p>{ __( 'The order will not be sent to the ERP. The reason is kept for audit.', 'syncline' ) }</p>
			<ErrorNotice error={ discard.error } />
			<TextareaControl label={ __( 'Why discard this event?', 'syncline' ) } value={ reason } onChange={ setReason } />
			<Button
				variant="primary"
				isDestructive
				disabled={ reason.trim() === '' || discard.isBusy }
				onClick={ async () => {
					if ( await discard.run( { id: row.id, reason: reason.trim() } ) ) {
						onClose();
					}
				} }
			>
				{ __( 'Discard', 'syncline' ) }
			</Button>
		</Modal>
	);
}

function Filters( { query, setQuery }: { query: ExceptionsQuery; setQuery: ( q: ExceptionsQuery ) => void } ) {
	const [ search, setSearch ] = useState( query.search );
	const overview = useOverview();
	const codes = overview.data?.exceptions_by_code ?? [];
	return (
		<form
			className="syncline-filters"
			onSubmit={ ( e ) => {
				e.preventDefault();
				setQuery( { ...query, search: search.trim(), page: 1 } );
			} }
		>
			<TextControl
				type="search"
				label={ __( 'Search by order number, SKU or correlation id', 'syncline' ) }
				value={ search }
				onChange={ setSearch }
			/>
			<Button variant="secondary" type="submit">
				{ __( 'Search', 'syncline' ) }
			</Button>
			<SelectControl
				label={ __( 'Reason', 'syncline' ) }
				value={ query.code }
				options={ [
					{ label: __( 'All reasons', 'syncline' ), value: '' },
					...codes.map( ( c ) => ( { label: `${ c.code } (${ c.count })`, value: c.code } ) ),
				] }
				onChange={ ( code: string ) => setQuery( { ...query, code, page: 1 } ) }
			/>
			<SelectControl< string >
				label={ __( 'Age', 'syncline' ) }
				value={ String( query.min_age_hours ) }
				options={ [
					{ label: __( 'Any age', 'syncline' ), value: '0' },
					{ label: __( 'Older than 1 hour', 'syncline' ), value: '1' },
					{ label: __( 'Older than 24 hours', 'syncline' ), value: '24' },
					{ label: __( 'Older than 7 days', 'syncline' ), value: '168' },
				] }
				onChange={ ( v: string ) => setQuery( { ...query, min_age_hours: Number( v ), page: 1 } ) }
			/>
		</form>
	);
}

function BulkRetry( { code }: { code: string } ) {
	const bulk = useRetryByCode();
	const [ done, setDone ] = useState< number | null >( null );
	if ( ! code ) {
		return null;
	}
	return (
		<div className="syncline-bulk">
			<ErrorNotice error={ bulk.error } />
			{ done !== null && (
				<Notice status="success" onRemove={ () => setDone( null ) }>
					{ /* translators: %d: number of events */ }
					{ sprintf( _n( '%d event put back in the queue.', '%d events put back in the queue.', done, 'syncline' ), done ) }
				</Notice>
			) }
			<Button
				variant="primary"
				disabled={ bulk.isBusy }
				onClick={ async () => {
					const r = await bulk.run( code );
					if ( r ) {
						setDone( r.retried );
					}
				} }
			>
				{ /* translators: %s: reason code */ }
				{ sprintf( __( 'Retry all with reason %s', 'syncline' ), code ) }
			</Button>
		</div>
	);
}

export function Exceptions( { onTrace }: { onTrace: ( orderId: number ) => void } ) {
	const [ query, setQuery ] = useState< ExceptionsQuery >( { search: '', code: '', min_age_hours: 0, page: 1, per_page: PER_PAGE } );
	const [ openId, setOpenId ] = useState< number | null >( null );
	const [ discarding, setDiscarding ] = useState< ExceptionRow | null >( null );
	const { items, total, totalPages, error, isLoading } = useExceptions( query );
	const retry = useRetryEvent();
	return (
		<div className="syncline-exceptions">
			<Filters query={ query } setQuery={ setQuery } />
			<BulkRetry code={ query.code } />
			<ErrorNotice error={ error ?? retry.error } />
			{ isLoading && <Spinner /> }
			<table className="wp-list-table widefat fixed striped syncline-exceptions-table">
				<thead>
					<tr>
						<th scope="col">{ __( 'Event', 'syncline' ) }</th>
						<th scope="col">{ __( 'Order', 'syncline' ) }</th>
						<th scope="col">{ __( 'Reason', 'syncline' ) }</th>
						<th scope="col" className="syncline-col-wide">{ __( 'Message', 'syncline' ) }</th>
						<th scope="col">{ __( 'Attempts', 'syncline' ) }</th>
						<th scope="col">{ __( 'Age', 'syncline' ) }</th>
						<th scope="col" className="syncline-col-wide">{ __( 'Actions', 'syncline' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ items.length === 0 && ! isLoading && (
						<tr className="no-items">
							<td colSpan={ 7 }>{ __( 'No exceptions. Every order reached the ERP or is on its way.', 'syncline' ) }</td>
						</tr>
					) }
					{ items.map( ( row ) => (
						<tr key={ row.id } data-event-id={ row.id }>
							<td>#{ row.id }</td>
							<td>
								<Button variant="link" onClick={ () => onTrace( row.object_id ) }>
									{ `#${ row.object_id }` }
								</Button>
							</td>
							<td><code>{ row.last_error_code ?? '—' }</code></td>
							<td>{ row.last_error_message }</td>
							<td>{ row.attempts }</td>
							<td>{ formatDuration( row.age_seconds ) }</td>
							<td className="syncline-row-actions">
								<Button variant="secondary" onClick={ () => setOpenId( row.id ) } aria-label={ sprintf( /* translators: %d: event id */ __( 'Details of event #%d', 'syncline' ), row.id ) }>
									{ __( 'Details', 'syncline' ) }
								</Button>
								<Button variant="primary" disabled={ retry.isBusy } onClick={ () => retry.run( row.id ) } aria-label={ sprintf( /* translators: %d: event id */ __( 'Retry event #%d', 'syncline' ), row.id ) }>
									{ __( 'Retry', 'syncline' ) }
								</Button>
								<Button variant="tertiary" isDestructive onClick={ () => setDiscarding( row ) } aria-label={ sprintf( /* translators: %d: event id */ __( 'Discard event #%d', 'syncline' ), row.id ) }>
									{ __( 'Discard', 'syncline' ) }
								</Button>
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
			<Pagination page={ query.page } totalPages={ totalPages } total={ total } onChange={ ( page ) => setQuery( { ...query, page } ) } />
			{ openId !== null && <ExceptionDetails id={ openId } onClose={ () => setOpenId( null ) } onTrace={ onTrace } /> }
			{ discarding && <DiscardModal row={ discarding } onClose={ () => setDiscarding( null ) } /> }
		</div>
	);
}

import { CheckboxControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { FieldError } from './FieldError';

/** The product fields the ERP may own, in the order WordPress lists them (ProductsSettings::FIELDS). */
function fieldLabels(): Array< [ string, string ] > {
	return [
		[ 'name', __( 'Name', 'syncline' ) ],
		[ 'regular_price', __( 'Regular price', 'syncline' ) ],
		[ 'sale_price', __( 'Sale price', 'syncline' ) ],
		[ 'tax_class', __( 'Tax class', 'syncline' ) ],
		[ 'weight', __( 'Weight', 'syncline' ) ],
		[ 'dimensions', __( 'Dimensions', 'syncline' ) ],
		[ 'status', __( 'Status (published or draft)', 'syncline' ) ],
		[ 'categories', __( 'Categories', 'syncline' ) ],
	];
}

interface Props {
	owned: string[];
	onOwned: ( owned: string[] ) => void;
	createMissing: boolean;
	onCreateMissing: ( create: boolean ) => void;
	errors: Record< string, string >;
}

/** Field ownership of master data: which product fields the ERP writes (the rest stay the store's). */
export function OwnershipFields( { owned, onOwned, createMissing, onCreateMissing, errors }: Props ) {
	const labels = fieldLabels();
	const toggle = ( field: string, on: boolean ) => {
		const next = on ? [ ...owned, field ] : owned.filter( ( f ) => f !== field );
		onOwned( labels.map( ( [ f ] ) => f ).filter( ( f ) => next.includes( f ) ) );
	};
	return (
		<>
			<fieldset className="syncline-ownership" aria-invalid={ !! errors.products_owned_fields } aria-describedby={ errors.products_owned_fields ? 'syncline-err-products_owned_fields' : undefined }>
				<legend>{ __( 'Fields the ERP owns', 'syncline' ) }</legend>
				<p className="syncline-rows-help">{ __( 'The master data sync writes these product fields from the ERP; the others stay as edited in WooCommerce.', 'syncline' ) }</p>
				{ labels.map( ( [ field, label ] ) => (
					<CheckboxControl key={ field } label={ label } checked={ owned.includes( field ) } onChange={ ( on: boolean ) => toggle( field, on ) } />
				) ) }
			</fieldset>
			<FieldError id="syncline-err-products_owned_fields" message={ errors.products_owned_fields } />
			<CheckboxControl
				label={ __( 'Create products the ERP has and the store lacks (as drafts)', 'syncline' ) }
				checked={ createMissing }
				onChange={ onCreateMissing }
			/>
			<FieldError id="syncline-err-products_create_missing" message={ errors.products_create_missing } />
		</>
	);
}

import { Card, CardBody } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

export function Reconciliation() {
	return (
		<Card className="syncline-card">
			<CardBody>
				<p>{ __( 'Reconciliation between the shop and the ERP will be shown here. This tab is filled by a later issue.', 'syncline' ) }</p>
			</CardBody>
		</Card>
	);
}

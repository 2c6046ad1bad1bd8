/** A field's error from the server's validation, shown next to the field (`syncline-err-<field>`). */
export function FieldError( { id, message }: { id: string; message: string | undefined } ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p id={ id } className="syncline-field-error" role="alert">
			{ message }
		</p>
	);
}

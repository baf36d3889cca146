import type { InputHTMLAttributes, ReactNode } from "react";

/** What the control inside a FormField spreads, so its label, hint and error reach screen readers. */
export interface FieldControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

interface FormFieldProps {
  /** Unique on the page: the control's id and, with "-hint" / "-error", its messages' ids. */
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The control (input, textarea, select), given the attributes that wire it to the messages. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled control with its hint and inline error, the one field layout of every form. */
export function FormField({ id, label, hint, error, children }: FormFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {hint ? (
        <p id={`${id}-hint`} className="field-hint muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string;
}

/** The common case: a FormField holding a single input. */
export function TextField({ id, label, error, hint, ...input }: TextFieldProps) {
  return (
    <FormField id={id} label={label} error={error} hint={hint}>
      {(control) => <input {...control} {...input} />}
    </FormField>
  );
}

import type { InputHTMLAttributes } from "react";

interface ConnectionFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  /** Unique on the page: the input's id and, with "-error", its error's id. */
  id: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string;
}

/** A labelled input with its inline error wired up for screen readers. */
export function ConnectionField({ id, label, error, hint, ...input }: ConnectionFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
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

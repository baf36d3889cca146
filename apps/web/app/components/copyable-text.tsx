import { useState } from "react";

/**
 * A value the owner pastes elsewhere (an address, a URL), with a Copy button. The value stays
 * selectable text, so copying by hand works where the clipboard API is unavailable.
 */
export function CopyableText({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <span className="copyable">
      <code className="copyable__value" data-testid={testId}>
        {value}
      </code>
      <button type="button" className="button button--ghost copyable__button" onClick={copy} aria-label={`Copy ${label}`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}

import { useState } from 'react';
import { useT } from '../i18n/use-t';

/**
 * Six digits from an authenticator app, typed or pasted (anything else is dropped), sent once complete. The
 * code is held only here and cleared when sent. The field is where a dialog puts focus when it opens.
 */
export function CodeForm({
  id,
  label,
  busy,
  submitLabel,
  testId,
  onSubmit,
  onEdit,
}: {
  id: string;
  label: string;
  busy: boolean;
  submitLabel: string;
  /** Prefix of the input's and button's test ids. */
  testId: string;
  onSubmit: (code: string) => void;
  onEdit?: () => void;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  return (
    <form
      className="code-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!/^\d{6}$/.test(code)) return;
        onSubmit(code);
        setCode('');
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={`${testId}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        disabled={busy}
        data-autofocus
        onChange={(event) => {
          onEdit?.();
          setCode(event.target.value.replace(/\D/g, ''));
        }}
      />
      <button type="submit" className="primary" disabled={busy || code.length !== 6} data-testid={`${testId}-submit`}>
        {busy ? t('common.checking') : submitLabel}
      </button>
    </form>
  );
}

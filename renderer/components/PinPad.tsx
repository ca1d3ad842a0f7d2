import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../common/errors.js';

const MAX_DIGITS = 12;
const MIN_DIGITS = 4;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/**
 * Large targets for gloved hands on a touch screen; the keyboard works too (digits, Backspace, Enter,
 * Escape). The PIN is held only in this component's state and cleared after every submit. In `choose`
 * mode (enrollment, PIN reset) the new PIN is typed twice and sent only when both entries match.
 */
export function PinPad({
  attemptsLeft,
  mode = 'verify',
  onSubmit,
  onCancel,
  onForgot,
}: {
  attemptsLeft?: number;
  mode?: 'verify' | 'choose';
  onSubmit: (pin: string) => Promise<{ ok: boolean; message?: string }>;
  onCancel: () => void;
  /** Offered when a forgotten PIN can be reset here (full sign-in, then a new PIN). */
  onForgot?: () => void;
}) {
  const [pin, setPin] = useState('');
  /** choose mode: the first entry, waiting for its confirmation. */
  const [first, setFirst] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const press = useCallback((key: string) => {
    setError(undefined);
    if (key === 'back') setPin((p) => p.slice(0, -1));
    else if (key === 'clear') setPin('');
    else if (/^\d$/.test(key)) setPin((p) => (p.length < MAX_DIGITS ? p + key : p));
  }, []);

  const submit = useCallback(async () => {
    if (busy) return; // a second Enter while the first PIN is checked
    if (pin.length < MIN_DIGITS) {
      setError(`Enter at least ${MIN_DIGITS} digits.`);
      return;
    }
    if (mode === 'choose' && first === undefined) {
      setFirst(pin);
      setPin('');
      return;
    }
    if (mode === 'choose' && first !== pin) {
      setError('The two PINs did not match. Choose a PIN again.');
      setFirst(undefined);
      setPin('');
      return;
    }
    setFirst(undefined);
    setBusy(true);
    try {
      const result = await onSubmit(pin);
      if (!result.ok && result.message) setError(result.message);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPin('');
      setBusy(false);
    }
  }, [busy, pin, first, mode, onSubmit]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^\d$/.test(event.key)) press(event.key);
      else if (event.key === 'Backspace') press('back');
      else if (event.key === 'Enter') void submit();
      else if (event.key === 'Escape') onCancel();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press, submit, onCancel]);

  return (
    <section className="pin-pad" data-testid="pin-pad" aria-label="PIN entry">
      <div className="pin-dots" aria-live="polite" aria-label={`${pin.length} digits entered`} data-testid="pin-dots">
        {pin.length === 0 ? (
          <span className="pin-placeholder">{placeholder(mode, first)}</span>
        ) : (
          '•'.repeat(pin.length)
        )}
      </div>
      {attemptsLeft !== undefined && (
        <p className="pin-attempts" data-testid="pin-attempts">
          {attemptsLeft === 1 ? '1 try left' : `${attemptsLeft} tries left`} before this badge is locked out
        </p>
      )}
      {error && (
        <p className="pin-error" role="alert">
          {error}
        </p>
      )}
      <div className="pin-keys">
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            className={`pin-key pin-key-${key}`}
            onClick={() => press(key)}
            disabled={busy}
            aria-label={key === 'back' ? 'Delete last digit' : key === 'clear' ? 'Clear' : key}
          >
            {key === 'back' ? '⌫' : key === 'clear' ? 'Clear' : key}
          </button>
        ))}
      </div>
      <div className="pin-actions">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-testid="pin-submit"
          onClick={() => void submit()}
          disabled={busy}
        >
          {busy ? 'Checking…' : mode === 'verify' ? 'Unlock' : first === undefined ? 'Next' : 'Set PIN'}
        </button>
      </div>
      {mode === 'verify' && onForgot && (
        <button type="button" className="pin-forgot" data-testid="pin-forgot" onClick={onForgot} disabled={busy}>
          Forgot your PIN?
        </button>
      )}
    </section>
  );
}

function placeholder(mode: 'verify' | 'choose', first: string | undefined): string {
  if (mode === 'verify') return 'Enter PIN';
  return first === undefined ? 'Choose a PIN' : 'Enter the same PIN again';
}

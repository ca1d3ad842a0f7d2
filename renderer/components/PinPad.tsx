import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../../common/errors.js';
import { usePreferenceValues } from '../hooks/use-preferences';
import { useT } from '../i18n/use-t';

const MAX_DIGITS = 12;
const MIN_DIGITS = 4;
/** The digit rows top to bottom for each pinPadLayout preference; clear, 0 and back stay the bottom row. */
const DIGIT_ROWS = {
  phone: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
  calculator: ['7', '8', '9', '4', '5', '6', '1', '2', '3'],
} as const;

/**
 * Large targets for gloved hands on a touch screen; the keyboard works too (digits, Backspace, Enter,
 * Escape). The PIN is held only in this component's state and cleared after every submit. In `choose`
 * mode (enrollment, PIN reset) the new PIN is typed twice and sent only when both entries match.
 *
 * The pad has no message line of its own: what it has to say (too short, the two entries differ) goes to
 * `onMessage`, so the screen shows one notice area with only the current state (main's answer to a PIN
 * arrives as the screen's notice).
 */
export function PinPad({
  mode = 'verify',
  onSubmit,
  onCancel,
  onForgot,
  onMessage,
  verifyLabel,
}: {
  mode?: 'verify' | 'choose';
  /** The verify button's label where it does not unlock (a step-up confirms). */
  verifyLabel?: string;
  onSubmit: (pin: string) => Promise<{ ok: boolean; message?: string }>;
  onCancel: () => void;
  /** Offered when a forgotten PIN can be reset here (full sign-in, then a new PIN). */
  onForgot?: () => void;
  /** The pad's own message, or undefined when the person types again (the screen's notice shows). */
  onMessage: (text: string | undefined) => void;
}) {
  const t = useT();
  const keys = [...DIGIT_ROWS[usePreferenceValues().pinPadLayout], 'clear', '0', 'back'];
  const [pin, setPin] = useState('');
  /** choose mode: the first entry, waiting for its confirmation. */
  const [first, setFirst] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pad = useRef<HTMLElement>(null);

  // The pad takes focus when it appears, so typing works at once and a screen reader lands on it.
  useEffect(() => pad.current?.focus(), []);

  const press = useCallback(
    (key: string) => {
      onMessage(undefined);
      if (key === 'back') setPin((p) => p.slice(0, -1));
      else if (key === 'clear') setPin('');
      else if (/^\d$/.test(key)) setPin((p) => (p.length < MAX_DIGITS ? p + key : p));
    },
    [onMessage],
  );

  const submit = useCallback(async () => {
    if (busy) return; // a second Enter while the first PIN is checked
    if (pin.length < MIN_DIGITS) {
      onMessage(t('pinPad.tooShort', { count: MIN_DIGITS }));
      return;
    }
    if (mode === 'choose' && first === undefined) {
      setFirst(pin);
      setPin('');
      return;
    }
    if (mode === 'choose' && first !== pin) {
      onMessage(t('pinPad.mismatch'));
      setFirst(undefined);
      setPin('');
      return;
    }
    setFirst(undefined);
    setBusy(true);
    try {
      await onSubmit(pin);
    } catch (e) {
      onMessage(messageOf(e));
    } finally {
      setPin('');
      setBusy(false);
    }
  }, [busy, pin, first, mode, onSubmit, onMessage, t]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Enter or Space on a focused button (Cancel, Forgot) is that button's click, never a submit.
      const onControl = event.target instanceof HTMLButtonElement || event.target instanceof HTMLTextAreaElement;
      if (/^\d$/.test(event.key)) press(event.key);
      else if (event.key === 'Backspace') press('back');
      else if (event.key === 'Enter' && !onControl) void submit();
      else if (event.key === 'Escape') onCancel();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press, submit, onCancel]);

  return (
    // data-autofocus: inside a dialog (step-up) the dialog focuses the pad too, not its first key, so Enter submits.
    <section
      className="pin-pad"
      data-testid="pin-pad"
      aria-label={t('pinPad.label')}
      ref={pad}
      tabIndex={-1}
      data-autofocus
    >
      <div className="pin-dots" aria-live="polite" data-testid="pin-dots">
        {pin.length === 0 ? (
          <span className="pin-placeholder">{placeholder(t, mode, first)}</span>
        ) : (
          <span aria-label={t('pinPad.digits', { count: pin.length })}>{'•'.repeat(pin.length)}</span>
        )}
      </div>
      <div className="pin-keys">
        {keys.map((key) => (
          <button
            key={key}
            type="button"
            className={`pin-key pin-key-${key}`}
            onClick={() => press(key)}
            disabled={busy}
            aria-label={key === 'back' ? t('pinPad.back') : key === 'clear' ? t('pinPad.clear') : key}
          >
            {key === 'back' ? '⌫' : key === 'clear' ? t('pinPad.clear') : key}
          </button>
        ))}
      </div>
      <div className="pin-actions">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy} data-testid="pin-cancel">
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="pin-submit"
          onClick={() => void submit()}
          disabled={busy}
        >
          {busy
            ? t('common.checking')
            : mode === 'verify'
              ? (verifyLabel ?? t('pinPad.unlock'))
              : first === undefined
                ? t('pinPad.next')
                : t('pinPad.set')}
        </button>
      </div>
      {mode === 'verify' && onForgot && (
        <button type="button" className="pin-forgot" data-testid="pin-forgot" onClick={onForgot} disabled={busy}>
          {t('pinPad.forgot')}
        </button>
      )}
    </section>
  );
}

function placeholder(t: ReturnType<typeof useT>, mode: 'verify' | 'choose', first: string | undefined): string {
  if (mode === 'verify') return t('pinPad.enter');
  return first === undefined ? t('pinPad.choose') : t('pinPad.again');
}

import { useState, type FormEvent } from 'react';
import type { BreakGlassState, CareShellApi } from '../../../preload/contract';
import { CosignPanel } from './CosignPanel';
import './break-glass.css';

type Dialog = NonNullable<BreakGlassState['dialog']>;
type Scope = Dialog['scopes'][number];

const DURATIONS = [15, 30, 60, 120, 240, 360, 480];

/** Minutes as the dialog offers them: "4 h", "30 min", "1 h 30 min". */
function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

/**
 * Break-glass: a coded reason and free text, the attestation, how long and over what, by policy. Confirming asks
 * for the step-up (the session's step-up dialog), then the EHR issues the grant; this dialog only collects.
 */
export function BreakGlassDialog({ dialog, api }: { dialog: Dialog; api: CareShellApi }) {
  const [reason, setReason] = useState(dialog.reasons[0]!.code);
  const [text, setText] = useState('');
  const [attested, setAttested] = useState(false);
  const durations = [...new Set([...DURATIONS, dialog.defaultMinutes])]
    .filter((m) => m >= dialog.minMinutes && m <= dialog.maxMinutes)
    .sort((a, b) => a - b);
  const [minutes, setMinutes] = useState(dialog.defaultMinutes);
  const firstScope: Scope = dialog.patient && dialog.scopes.includes('patient') ? 'patient' : dialog.scopes[0]!;
  const [scope, setScope] = useState<Scope>(firstScope);
  const [patient, setPatient] = useState(dialog.patient ?? '');
  const [refusal, setRefusal] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!attested) return;
    const answer = await api.breakglass.confirm({
      scope,
      ...(scope === 'patient' ? { patient } : {}),
      reasonCode: reason,
      reasonText: text,
      attested: true,
      durationMinutes: minutes,
    });
    setRefusal(answer.ok ? undefined : answer.message);
  };
  const error = refusal ?? dialog.error;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="bg-title"
      data-testid="break-glass-dialog"
    >
      <section className="overlay-card">
        <h2 id="bg-title">{dialog.extending ? 'Extend emergency access' : 'Emergency access (break-glass)'}</h2>
        {dialog.patient && (
          <p>
            Restricted chart: <strong data-testid="bg-patient">{dialog.patient}</strong>
            {dialog.restrictions.length > 0 && ` (${dialog.restrictions.join(', ')})`}
          </p>
        )}
        {dialog.frequencyWarning && (
          <p className="bg-frequency" role="alert" data-testid="bg-frequency">
            {dialog.frequencyWarning}
          </p>
        )}
        {dialog.cosign && <CosignPanel cosign={dialog.cosign} api={api} />}
        <form className="break-glass-form" onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend>Reason</legend>
            {dialog.reasons.map((r) => (
              <label key={r.code}>
                <input
                  type="radio"
                  name="bg-reason"
                  value={r.code}
                  checked={reason === r.code}
                  onChange={() => setReason(r.code)}
                  data-testid={`bg-reason-${r.code}`}
                />{' '}
                {r.label}
              </label>
            ))}
          </fieldset>
          <label>
            What is happening (required)
            <textarea
              required
              rows={2}
              maxLength={2000}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="bg-reason-text"
            />
          </label>
          {dialog.scopes.length > 1 && (
            <fieldset>
              <legend>Access to</legend>
              {dialog.scopes.map((s) => (
                <label key={s}>
                  <input
                    type="radio"
                    name="bg-scope"
                    checked={scope === s}
                    onChange={() => setScope(s)}
                    data-testid={`bg-scope-${s}`}
                  />{' '}
                  {s === 'patient' ? 'This patient only' : 'All restricted charts'}
                </label>
              ))}
            </fieldset>
          )}
          {scope === 'patient' && !dialog.patient && (
            <label>
              Patient (Patient/&lt;id&gt;)
              <input value={patient} onChange={(e) => setPatient(e.target.value)} data-testid="bg-patient-input" />
            </label>
          )}
          <label>
            For{' '}
            <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="bg-duration">
              {durations.map((m) => (
                <option key={m} value={m}>
                  {minutesText(m)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={attested}
              onChange={(e) => setAttested(e.target.checked)}
              data-testid="bg-attest"
            />{' '}
            I confirm this is an emergency and I need this chart to treat the patient. I understand every chart I open
            is recorded, the privacy officer is alerted now, and my use will be reviewed.
          </label>
          {error && (
            <p className="bg-error" role="alert" data-testid="bg-error">
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={!attested || dialog.busy || !text.trim() || (dialog.cosign && !dialog.cosign.verified)}
            data-testid="bg-confirm"
          >
            {dialog.busy ? 'Asking the EHR…' : 'Confirm it is me and open'}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={dialog.busy}
            data-testid="bg-cancel"
            onClick={() => void api.breakglass.cancel()}
          >
            Cancel
          </button>
        </form>
      </section>
    </div>
  );
}

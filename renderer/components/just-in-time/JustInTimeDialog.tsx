import { useState, type FormEvent } from 'react';
import type { CareShellApi, JustInTimeState } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';
import { ApproverPanel } from './ApproverPanel';
import './just-in-time.css';

type Dialog = NonNullable<JustInTimeState['dialog']>;
type Kind = Dialog['scopes'][number]['kind'];

const DURATIONS = [5, 15, 30, 60, 120, 240, 480, 720];

/**
 * "Request access": what (another unit, one patient, a role), why (a policy purpose and free text) and for how
 * long, within policy limits. Then, by policy, it is granted at once (low-risk), or the requester proves it is them
 * (the session's step-up dialog) and/or an approver decides at this workstation. The EHR issues the grant.
 */
export function JustInTimeDialog({ dialog, api }: { dialog: Dialog; api: CareShellApi }) {
  const t = useT();
  const [kind, setKind] = useState<Kind>(dialog.scopes[0]!.kind);
  const scope = dialog.scopes.find((s) => s.kind === kind) ?? dialog.scopes[0]!;
  const [values, setValues] = useState<Record<string, string>>({});
  const value = values[kind] ?? scope.values[0]?.value ?? '';
  const [purpose, setPurpose] = useState(dialog.purposes[0]!.code);
  const [text, setText] = useState('');
  const durations = [...new Set([...DURATIONS, dialog.defaultMinutes])]
    .filter((m) => m >= dialog.minMinutes && m <= scope.maxMinutes)
    .sort((a, b) => a - b);
  const [chosen, setChosen] = useState(dialog.defaultMinutes);
  const minutes = Math.min(chosen, scope.maxMinutes);
  const [refusal, setRefusal] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.jit.submit({
      scope: kind,
      value,
      purposeCode: purpose,
      purposeText: text,
      durationMinutes: minutes,
    });
    setRefusal(answer.ok ? undefined : answer.message);
  };
  const error = dialog.step === 'form' ? (refusal ?? dialog.error) : dialog.error;
  const request = dialog.request;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="jit-title" data-testid="jit-dialog">
      <section className="overlay-card">
        <h2 id="jit-title">{t('jit.title')}</h2>
        {dialog.step === 'form' ? (
          <form className="jit-form" onSubmit={(e) => void submit(e)}>
            <fieldset>
              <legend>{t('jit.scope')}</legend>
              {dialog.scopes.map((s) => (
                <label key={s.kind}>
                  <input
                    type="radio"
                    name="jit-scope"
                    value={s.kind}
                    checked={kind === s.kind}
                    onChange={() => setKind(s.kind)}
                    data-testid={`jit-scope-${s.kind}`}
                  />
                  {t(`jit.scope_${s.kind}`)}
                </label>
              ))}
            </fieldset>
            {kind === 'patient' ? (
              <label>
                {t('jit.patient')}
                <input
                  value={value}
                  onChange={(e) => setValues({ ...values, patient: e.target.value })}
                  placeholder="Patient/p-1005"
                  data-testid="jit-value"
                />
              </label>
            ) : (
              <label>
                {t(kind === 'unit' ? 'jit.unit' : 'jit.role')}
                <select
                  value={value}
                  onChange={(e) => setValues({ ...values, [kind]: e.target.value })}
                  data-testid="jit-value"
                >
                  {scope.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <fieldset>
              <legend>{t('jit.purpose')}</legend>
              {dialog.purposes.map((p) => (
                <label key={p.code}>
                  <input
                    type="radio"
                    name="jit-purpose"
                    value={p.code}
                    checked={purpose === p.code}
                    onChange={() => setPurpose(p.code)}
                  />
                  {p.label}
                </label>
              ))}
            </fieldset>
            <label>
              {t('jit.purposeText')}
              <textarea
                required
                value={text}
                onChange={(e) => setText(e.target.value)}
                data-testid="jit-purpose-text"
              />
            </label>
            <label>
              {t('jit.duration')}
              <select value={minutes} onChange={(e) => setChosen(Number(e.target.value))} data-testid="jit-duration">
                {durations.map((m) => (
                  <option key={m} value={m}>
                    {m} min
                  </option>
                ))}
              </select>
            </label>
            <p className="jit-note" data-testid="jit-approval-note">
              {scope.autoApprove ? t('jit.autoNote') : t('jit.approvalNote')}
              {scope.stepUp && ` ${t('jit.stepUpNote')}`}
            </p>
            {error && (
              <p className="jit-error" role="alert" data-testid="jit-error">
                {error}
              </p>
            )}
            <div className="jit-actions">
              <button type="submit" disabled={dialog.busy || !text.trim() || !value} data-testid="jit-submit">
                {t('jit.submit')}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => void api.jit.cancel()}
                data-testid="jit-cancel"
              >
                {t('common.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <>
            {request && (
              <p data-testid="jit-summary">
                {t('jit.summary', {
                  requester: request.requester,
                  what: `${t(`jit.scope_${request.scope}`)}: ${request.valueLabel}`,
                  minutes: request.durationMinutes,
                  purpose: request.purpose,
                  text: request.purposeText,
                })}
              </p>
            )}
            {dialog.step === 'step-up' && <p>{t('jit.stepUp')}</p>}
            {dialog.step === 'approver' && <ApproverPanel dialog={dialog} api={api} />}
            {dialog.step === 'sending' && <p aria-busy="true">{t('jit.sending')}</p>}
            {error && (
              <p className="jit-error" role="alert" data-testid="jit-error">
                {error}
              </p>
            )}
            <div className="jit-actions">
              <button
                type="button"
                className="secondary"
                disabled={dialog.busy}
                onClick={() => void api.jit.cancel()}
                data-testid="jit-cancel"
              >
                {dialog.step === 'refused' ? t('jit.close') : t('common.cancel')}
              </button>
            </div>
          </>
        )}
      </section>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import type { CareShellApi, JustInTimeState } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';

type Dialog = NonNullable<JustInTimeState['dialog']>;

/**
 * The approver's part, at the requester's workstation: they read the request, tap their badge (main reads it while
 * this waits, instead of signing anyone in), then type their PIN to approve, or to refuse with a reason. Never the
 * requester, and only a role policy allows (main checks, and the EHR checks again).
 */
export function ApproverPanel({ dialog, api }: { dialog: Dialog; api: CareShellApi }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<string>();
  const decide = async (decision: 'approve' | 'refuse') => {
    const answer = await api.jit.approverDecide({ pin, decision, ...(decision === 'refuse' ? { reason } : {}) });
    setPin('');
    setRefusal(answer.ok ? undefined : answer.message);
  };
  const approve = (event: FormEvent) => {
    event.preventDefault();
    void decide('approve');
  };
  if (!dialog.approver)
    return (
      <p className="jit-tap" data-testid="jit-tap-badge">
        {t('jit.tapBadge')}
      </p>
    );
  return (
    <form className="jit-form" onSubmit={approve} data-testid="jit-approver">
      <p>{t('jit.approverPin', { approver: dialog.approver })}</p>
      <label>
        {t('jit.pinLabel')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          data-testid="jit-approver-pin"
        />
      </label>
      {refusing && (
        <label>
          {t('jit.refuseReason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="jit-refuse-reason" />
        </label>
      )}
      {refusal && !dialog.error && (
        <p className="jit-error" role="alert">
          {refusal}
        </p>
      )}
      <div className="jit-actions">
        <button type="submit" disabled={dialog.busy} data-testid="jit-approve">
          {t('jit.approve')}
        </button>
        {/* The first press asks why; the second, with a reason, refuses. */}
        <button
          type="button"
          className="secondary"
          disabled={dialog.busy}
          data-testid="jit-refuse"
          onClick={() => (refusing ? void decide('refuse') : setRefusing(true))}
        >
          {t('jit.refuse')}
        </button>
      </div>
    </form>
  );
}

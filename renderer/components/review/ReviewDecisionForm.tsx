import { useState } from 'react';
import type { ReviewDecision } from '../../../common/break-glass-review';
import type { CareShellApi } from '../../../preload/contract';

const CHOICES: { decision: ReviewDecision; label: string }[] = [
  { decision: 'justified', label: 'Justified' },
  { decision: 'not-justified', label: 'Not justified' },
  { decision: 'escalate', label: 'Escalate' },
];

/** A decision on one episode: one of three, with a note saying why (required). */
export function ReviewDecisionForm({
  api,
  grantId,
  onDecided,
}: {
  api: CareShellApi;
  grantId: string;
  onDecided: (message: string) => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const decide = async (decision: ReviewDecision) => {
    if (!note.trim()) {
      setProblem('Write a note saying why before you decide.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const outcome = await api.review.decide({ grantId, decision, note: note.trim() });
      if (outcome.ok) onDecided(outcome.message ?? 'Recorded.');
      else setProblem(outcome.message ?? 'The decision was not recorded.');
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="review-decision">
      <label>
        Note
        <textarea
          value={note}
          onChange={(event) => setNote(event.target.value)}
          rows={2}
          maxLength={2000}
          data-testid={`review-note-${grantId}`}
        />
      </label>
      <div className="review-decision-buttons">
        {CHOICES.map(({ decision, label }) => (
          <button
            key={decision}
            type="button"
            className={decision === 'justified' ? 'primary' : 'secondary'}
            disabled={busy}
            onClick={() => void decide(decision)}
            data-testid={`review-${decision}-${grantId}`}
          >
            {label}
          </button>
        ))}
      </div>
      {problem && (
        <p className="review-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

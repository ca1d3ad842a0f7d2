import type { SessionView } from '../../preload/contract';

/**
 * Fail closed: no machine policy, an invalid one, or a start error keeps the workstation locked, and the
 * notice tells IT exactly what is wrong and what to do (main/workstation/run-workstation.ts, problemText).
 */
export function PolicyError({ view }: { view: SessionView }) {
  return (
    <main className="lock-screen policy-error" data-testid="policy-error">
      <div className="lock-card">
        <p className="workstation-name">{view.workstation}</p>
        <h1>This workstation is locked</h1>
        <p className="lock-hint">Sessions cannot start until IT puts right what is described below.</p>
        {view.notice && <pre className="policy-problems">{view.notice.text}</pre>}
      </div>
    </main>
  );
}

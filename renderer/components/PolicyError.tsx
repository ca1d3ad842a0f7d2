import type { SessionView } from '../../preload/contract';

/** Fail closed: a policy problem keeps the workstation locked and tells IT exactly what is wrong. */
export function PolicyError({ view }: { view: SessionView }) {
  return (
    <main className="lock-screen policy-error" data-testid="policy-error">
      <div className="lock-card">
        <p className="workstation-name">{view.workstation}</p>
        <h1>This workstation is locked: its policy is invalid</h1>
        <p className="lock-hint">Sessions cannot start until IT corrects the machine policy.</p>
        {view.notice && <pre className="policy-problems">{view.notice.text}</pre>}
      </div>
    </main>
  );
}

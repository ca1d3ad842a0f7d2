import type { SessionView } from '../../preload/contract';
import { noticeText } from '../i18n/i18n';
import { useT } from '../i18n/use-t';

/**
 * Fail closed: no machine policy, an invalid one, or a start error keeps the workstation locked. First what
 * the clinician should do (another workstation, call IT), then, for IT, exactly what is wrong and what to do
 * (main/workstation/run-workstation.ts, problemText).
 */
export function PolicyError({ view }: { view: SessionView }) {
  const t = useT();
  return (
    <main className="lock-screen policy-error" data-testid="policy-error">
      <div className="lock-card">
        <div className="lock-text">
          <p className="workstation-name">{view.workstation}</p>
          <h1>{t('policyError.title')}</h1>
          <p className="lock-hint">{t('policyError.whatToDo')}</p>
          {view.notice && (
            <section className="policy-problems" aria-labelledby="for-it">
              <h2 id="for-it">{t('policyError.forIt')}</h2>
              <pre>{noticeText(t, view.notice)}</pre>
            </section>
          )}
        </div>
      </div>
    </main>
  );
}

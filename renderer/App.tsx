import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuthenticatorSetup, CareShellApi, ReaderStatus, SessionView } from '../preload/contract';
import { AuthenticatorSetupPanel } from './components/AuthenticatorSetupPanel';
import { BadgeReadCue } from './components/BadgeReadCue';
import { LockScreen } from './components/LockScreen';
import { PreferencesButton } from './components/preferences/PreferencesButton';
import { Workstation } from './components/Workstation';
import { IdleWarning } from './components/IdleWarning';
import { PolicyError } from './components/PolicyError';
import { ReaderBanner } from './components/ReaderBanner';
import { StepUpPanel } from './components/StepUpPanel';
import { BreakGlassDialog } from './components/break-glass/BreakGlassDialog';
import { SponsorPanel } from './components/temporary/SponsorPanel';
import { useActivityReporter } from './hooks/use-activity-reporter';
import { createTranslator } from './i18n/i18n';
import { TranslateContext } from './i18n/use-t';
import { useBreakGlass } from './hooks/use-break-glass';
import { useJustInTime } from './hooks/use-just-in-time';
import { JustInTimeDialog } from './components/just-in-time/JustInTimeDialog';
import { useSponsor } from './hooks/use-sponsor';
import { PreferencesContext, useEffectivePreferences } from './hooks/use-preferences';

interface Received {
  view: SessionView;
  /** performance.now() when the view arrived: countdowns are relative to it. */
  at: number;
}

export function App({ api }: { api: CareShellApi }) {
  const [received, setReceived] = useState<Received>();
  const [readers, setReaders] = useState<ReaderStatus>();
  const [authenticator, setAuthenticator] = useState<AuthenticatorSetup | null>(null);
  const { breakGlass, frame } = useBreakGlass(api);
  const justInTime = useJustInTime(api);
  const sponsor = useSponsor(api);

  useEffect(() => {
    const offView = api.session.onView((view) => setReceived({ view, at: performance.now() }));
    const offReaders = api.readers.onStatus(setReaders);
    const offAuthenticator = api.identity.onAuthenticatorSetup(setAuthenticator);
    // A pushed view may overtake the initial snapshot; never let the older one win.
    void api.session.getView().then((view) => setReceived((current) => current ?? { view, at: performance.now() }));
    void api.readers.getStatus().then((status) => setReaders((current) => current ?? status));
    return () => {
      offView();
      offReaders();
      offAuthenticator();
    };
  }, [api]);

  const view = received?.view;
  const preferences = useEffectivePreferences(api, view?.screen, view?.user?.displayName);
  const language = preferences.language;
  const t = useMemo(() => createTranslator(language), [language]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const sessionOnScreen = view?.screen === 'active' || view?.screen === 'idle-warning';
  const reportActivity = useCallback(() => void api.session.reportActivity(), [api]);
  useActivityReporter(sessionOnScreen, reportActivity, view?.screen === 'idle-warning');

  if (!received || !view)
    return (
      <div className="starting" aria-busy="true">
        {t('common.starting')}
      </div>
    );
  const dialogOpen =
    sessionOnScreen &&
    (view.stepUp !== undefined ||
      authenticator !== null ||
      breakGlass.state.dialog !== undefined ||
      justInTime.state.dialog !== undefined);
  return (
    <TranslateContext value={t}>
      <PreferencesContext value={preferences}>
        {/* In the flow above the lock screens (it pushes them down); the signed-in header says it itself. */}
        {readers && !sessionOnScreen && <ReaderBanner status={readers} />}
        {view.screen === 'policy-error' && <PolicyError view={view} />}
        {(view.screen === 'no-user' || view.screen === 'locked') && (
          <LockScreen view={view} receivedAt={received.at} api={api} {...(readers ? { readers } : {})} />
        )}
        {view.screen === 'no-user' && <PreferencesButton api={api} />}
        {/* A temporary enrollment waits for its sponsor (over the enrollment's lock screen). */}
        {!sessionOnScreen && sponsor && <SponsorPanel sponsor={sponsor} api={api} />}
        {sessionOnScreen && (
          <Workstation
            view={view}
            receivedAt={received.at}
            api={api}
            readers={readers}
            dialogOpen={dialogOpen}
            breakGlass={breakGlass}
            justInTime={justInTime}
            frame={frame}
          />
        )}
        {sessionOnScreen && breakGlass.state.dialog && !view.stepUp && (
          <BreakGlassDialog dialog={breakGlass.state.dialog} api={api} />
        )}
        {sessionOnScreen && justInTime.state.dialog && !view.stepUp && (
          <JustInTimeDialog dialog={justInTime.state.dialog} api={api} />
        )}
        {sessionOnScreen && view.stepUp && (
          <StepUpPanel stepUp={view.stepUp} notice={view.notice} receivedAt={received.at} api={api} />
        )}
        {sessionOnScreen && authenticator && <AuthenticatorSetupPanel setup={authenticator} api={api} />}
        {view.screen === 'idle-warning' && <IdleWarning view={view} receivedAt={received.at} onStay={reportActivity} />}
        <BadgeReadCue api={api} sounds={preferences.soundCues} />
      </PreferencesContext>
    </TranslateContext>
  );
}

import { messageOf } from '../../common/errors.js';
import type { LifecycleEvent } from '../session/engine-state.js';

export interface EhrSignInDeps {
  session: { onLifecycle(listener: (event: LifecycleEvent) => void): () => void };
  ehrUrl: string;
  /** One-time URL that signs a fresh cookie jar in as the user (main/break-glass/grant-api-adapter.ts). */
  handover(userId: string, returnTo: string): Promise<string>;
  /** Where the session's EHR view should open (a chart under an active break-glass grant, else the list). */
  returnPath(sessionId: string): string;
  load(sessionId: string, url: string): void;
  /** Every session's view shares one cookie jar (the harness frame): sign in again each time one is shown. */
  sharedJar: boolean;
  log: { warn(message: string): void };
}

/**
 * Signs each session's EHR view in through the EHR's hand-over (docs/break-glass-api.md#sign-in), so a clinician
 * who came in by badge never signs in twice. Without a hand-over (the provider or EHR unreachable, no token) the
 * view opens the EHR itself, which starts its own sign-in.
 */
export function followEhrSignIn(deps: EhrSignInDeps): () => void {
  const signedIn = new Set<string>();
  return deps.session.onLifecycle((event) => {
    if (event.kind === 'terminated') signedIn.delete(event.sessionId);
    if (event.kind !== 'shown' || (!deps.sharedJar && signedIn.has(event.sessionId))) return;
    signedIn.add(event.sessionId);
    const returnTo = deps.returnPath(event.sessionId);
    deps
      .handover(event.userId, returnTo)
      .catch((error: unknown) => {
        deps.log.warn(`EHR sign-in hand-over failed, the EHR signs in by itself: ${messageOf(error)}`);
        // The EHR's own start page unless a chart was open: the policy's URL may have a path of its own.
        return returnTo === '/' ? deps.ehrUrl : new URL(returnTo, deps.ehrUrl).toString();
      })
      .then((url) => deps.load(event.sessionId, url))
      .catch((error: unknown) => deps.log.warn(`EHR view: ${messageOf(error)}`));
  });
}

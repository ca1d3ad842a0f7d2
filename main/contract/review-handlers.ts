import type { InvokeResponse } from '../../preload/contract.js';
import type { ReviewService } from '../review/review-service.js';
import type { SessionService } from '../session/session-service.js';
import type { InvokeHandlers } from './contract-server.js';

export type ReviewChannel = 'review:get-queue' | 'review:decide' | 'review:set-open';

export interface ReviewHandlerDeps {
  session: Pick<SessionService, 'view' | 'onLifecycle'>;
  /** Absent when the policy configures no review source (audit.review). */
  review?: { service: ReviewService; reviewerRole: string };
  /** The signed-in user's access token, to read the EHR's access log; undefined when none can be had. */
  accessToken(userId: string): Promise<string | undefined>;
  /** Tells the stage whether the review screen is open, so the EHR view is taken off the screen under it. */
  publishOpen(open: boolean): void;
}

type Ack = InvokeResponse<'review:decide'>;

/**
 * The privacy officer's review queue (docs/break-glass-review.md). Who may see it is decided here, from the
 * session on screen, never from what the renderer says: only a user holding the reviewer role, on the
 * active screen. Returns its handlers and a disposer.
 */
export function reviewHandlers({ session, review, accessToken, publishOpen }: ReviewHandlerDeps) {
  // The session on screen: the view names the user but not the account, the lifecycle does.
  let shown: { sessionId: string; userId: string } | undefined;
  let open = false;
  const setOpen = (next: boolean) => {
    if (open === next) return;
    open = next;
    publishOpen(next);
  };
  const dispose = session.onLifecycle((event) => {
    if (event.kind === 'shown') shown = { sessionId: event.sessionId, userId: event.userId };
    else if (event.sessionId === shown?.sessionId) {
      shown = undefined;
      // The screen goes with the session (a lock, a switch): the next user starts with the EHR view.
      setOpen(false);
    }
  });
  const reviewer = () => {
    const view = session.view();
    if (!review)
      return {
        ok: false as const,
        message: 'No review source is configured on this workstation (policy audit.review).',
      };
    if (view.screen !== 'active' || !view.user || !shown || !view.user.roles.includes(review.reviewerRole))
      return { ok: false as const, message: `Break-glass review is for the ${review.reviewerRole} role only.` };
    return {
      ok: true as const,
      service: review.service,
      actor: { userId: shown.userId, displayName: view.user.displayName, roles: view.user.roles },
    };
  };
  const handlers: Pick<InvokeHandlers, ReviewChannel> = {
    'review:get-queue': async () => {
      const who = reviewer();
      if (!who.ok) return who;
      return { ok: true, queue: await who.service.queue(await accessToken(who.actor.userId)) };
    },
    'review:decide': async (request): Promise<Ack> => {
      const who = reviewer();
      if (!who.ok) return who;
      return who.service.decide(request, who.actor);
    },
    'review:set-open': async (request): Promise<Ack> => {
      if (!request.open) {
        setOpen(false);
        return { ok: true };
      }
      const who = reviewer();
      if (!who.ok) return who;
      setOpen(true);
      return { ok: true };
    },
  };
  return { handlers, dispose };
}

import type { SessionView } from '../../../preload/contract';

/** The role that sees the review queue; main checks it again on every request (main/contract/review-handlers.ts). */
export const REVIEWER_ROLE = 'privacy-officer';

/** The header's way into the break-glass review queue, shown only to privacy officers. */
export function ReviewButton({ view, onOpen }: { view: SessionView; onOpen: () => void }) {
  if (!view.user?.roles.includes(REVIEWER_ROLE)) return null;
  return (
    <button type="button" className="secondary" onClick={onOpen} data-testid="open-review">
      Break-glass review
    </button>
  );
}

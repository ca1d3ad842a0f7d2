import { useCallback, useEffect, useState } from 'react';
import type { ReviewQueue, ReviewQueueResult } from '../../../common/break-glass-review';
import type { CareShellApi } from '../../../preload/contract';
import { JustInTimeReviewList } from './JustInTimeReviewList';
import { TemporaryStaffReviewList } from './TemporaryStaffReviewList';
import { ReviewEpisodeCard } from './ReviewEpisodeCard';
import './review.css';

/**
 * The privacy officer's break-glass review queue (docs/break-glass-review.md): every episode of the review
 * window from every workstation, unreviewed ones first, each with its decision form.
 */
export function ReviewQueuePanel({ api, onClose }: { api: CareShellApi; onClose: () => void }) {
  const [queue, setQueue] = useState<ReviewQueue>();
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState<string>();
  const show = useCallback((result: ReviewQueueResult) => {
    if (result.ok) {
      setQueue(result.queue);
      setProblem(undefined);
    } else setProblem(result.message);
  }, []);
  const fail = useCallback((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)), []);
  const load = useCallback(() => api.review.getQueue().then(show, fail), [api, show, fail]);
  useEffect(() => {
    api.review.getQueue().then(show, fail);
  }, [api, show, fail]);
  // While the queue is open the EHR view (a separate view in Electron) is taken off the screen under it.
  useEffect(() => {
    api.review.setOpen({ open: true }).catch(fail);
    return () => void api.review.setOpen({ open: false }).catch(fail);
  }, [api, fail]);
  const episodes = queue
    ? [...queue.episodes.filter((e) => !e.decision), ...queue.episodes.filter((e) => e.decision)]
    : [];
  return (
    <section className="review-panel" aria-label="Break-glass review" data-testid="review-panel">
      <div className="review-title">
        <h2>Break-glass review</h2>
        <button type="button" className="secondary" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" className="secondary" onClick={onClose} data-testid="close-review">
          Close
        </button>
      </div>
      {status && (
        <p className="review-status" role="status" data-testid="review-status">
          {status}
        </p>
      )}
      {problem && (
        <p className="review-problem" role="alert">
          {problem}
        </p>
      )}
      {queue && (
        <p className="review-muted">
          {queue.episodes.length} episode(s) since {new Date(queue.since).toLocaleDateString()},{' '}
          {queue.episodes.filter((e) => !e.decision).length} to review
        </p>
      )}
      {episodes.map((episode) => (
        <ReviewEpisodeCard
          key={episode.grantId}
          episode={episode}
          api={api}
          onDecided={(message) => {
            setStatus(message);
            void load();
          }}
        />
      ))}
      {queue?.justInTime && <JustInTimeReviewList entries={queue.justInTime} />}
      {queue?.temporaryStaff && <TemporaryStaffReviewList entries={queue.temporaryStaff} />}
    </section>
  );
}

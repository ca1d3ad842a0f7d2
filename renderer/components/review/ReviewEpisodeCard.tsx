import type { ReviewEpisode } from '../../../common/break-glass-review';
import type { CareShellApi } from '../../../preload/contract';
import { ReviewDecisionForm } from './ReviewDecisionForm';

const time = (iso: string) => new Date(iso).toLocaleString();

function howItEnded(e: ReviewEpisode): string {
  if (e.active) return `still active (${e.minutesInForce} of ${e.plannedMinutes} min so far)`;
  const how = e.endedBy ? `ended: ${e.endedBy}` : 'expired';
  return `${e.minutesInForce} of ${e.plannedMinutes} min, ${how}`;
}

/** One break-glass episode: who, where, which patients, why, for how long, the charts opened, and the decision. */
export function ReviewEpisodeCard({
  episode: e,
  api,
  onDecided,
}: {
  episode: ReviewEpisode;
  api: CareShellApi;
  onDecided: (message: string) => void;
}) {
  return (
    <article className="review-episode" data-testid={`review-episode-${e.grantId}`}>
      <h3>
        {e.user.displayName} <span className="review-muted">at {e.workstation}</span>
      </h3>
      <dl>
        <dt>Started</dt>
        <dd>{time(e.startedAt)}</dd>
        <dt>Patients</dt>
        <dd>{e.patients.length > 0 ? e.patients.join(', ') : 'all restricted charts (none opened)'}</dd>
        <dt>Reason</dt>
        <dd>
          {e.reasonCode}: {e.reasonText}
        </dd>
        <dt>Attestation</dt>
        <dd>{e.attested ? 'confirmed' : 'NOT confirmed'}</dd>
        <dt>Duration</dt>
        <dd>{howItEnded(e)}</dd>
        <dt>Last 30 days</dt>
        <dd data-testid={`review-count-${e.grantId}`}>{e.episodesIn30Days} episode(s)</dd>
        <dt>Charts opened</dt>
        <dd>
          {e.charts.state === 'read' ? (
            e.charts.opens.length === 0 ? (
              'none'
            ) : (
              <ul className="review-charts">
                {e.charts.opens.map((open, index) => (
                  <li key={index}>
                    {time(open.at)} {open.patient} ({open.what}){open.opened ? '' : ': refused'}
                  </li>
                ))}
              </ul>
            )
          ) : (
            <span className="review-muted">not available: {e.charts.reason}</span>
          )}
        </dd>
      </dl>
      {e.decision ? (
        <p className="review-decided" data-testid={`review-decided-${e.grantId}`}>
          {e.decision.decision} by {e.decision.reviewer}, {time(e.decision.at)}: {e.decision.note}
        </p>
      ) : (
        <ReviewDecisionForm api={api} grantId={e.grantId} onDecided={onDecided} />
      )}
    </article>
  );
}

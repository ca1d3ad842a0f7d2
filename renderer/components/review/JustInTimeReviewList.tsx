import type { JustInTimeReviewEntry } from '../../../common/just-in-time-review';

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Just-in-time requests beside the break-glass episodes (docs/temporary-access.md#for-privacy-officers): who asked
 * for what and why, who approved or refused (or the low-risk rule), approvers turned away, and the grant's times.
 */
export function JustInTimeReviewList({ entries }: { entries: readonly JustInTimeReviewEntry[] }) {
  return (
    <section className="review-jit" aria-label="Just-in-time access" data-testid="review-jit">
      <h3>Just-in-time access</h3>
      {entries.length === 0 ? (
        <p className="review-muted">No just-in-time requests in this window.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Requester</th>
              <th scope="col">Scope</th>
              <th scope="col">Purpose</th>
              <th scope="col">Decision</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.requestId} data-testid="review-jit-entry">
                <td>
                  {e.requester.displayName}
                  <br />
                  <span className="review-muted">
                    {e.workstation}, {when(e.requestedAt)}
                  </span>
                </td>
                <td>
                  {e.scope}: {e.scopeValue} ({e.durationMinutes} min)
                </td>
                <td>
                  {e.purposeCode}: {e.purposeText}
                </td>
                <td>
                  {e.outcome === 'granted'
                    ? e.approval === 'auto'
                      ? 'granted by policy (low-risk)'
                      : `approved by ${e.approver ?? 'unknown'}`
                    : e.outcome === 'refused'
                      ? `refused by ${e.approver ?? 'unknown'}: ${e.refusalReason ?? ''}`
                      : e.outcome === 'failed'
                        ? 'refused by the EHR'
                        : e.outcome === 'withdrawn'
                          ? `withdrawn: ${e.withdrawnWhy ?? ''}`
                          : 'not decided'}
                  {e.rejectedApprovers.length > 0 && (
                    <>
                      <br />
                      <span className="review-muted">
                        turned away: {e.rejectedApprovers.map((r) => `${r.approver} (${r.why})`).join(', ')}
                      </span>
                    </>
                  )}
                </td>
                <td>{when(e.startedAt)}</td>
                <td>
                  {when(e.endedAt)}
                  {e.endedBy && ` (${e.endedBy})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

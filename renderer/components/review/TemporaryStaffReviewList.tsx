import type { TemporaryStaffReviewEntry } from '../../../common/temporary-staff-review';

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Sponsored temporary enrollments beside the break-glass episodes (docs/temporary-access.md#for-privacy-officers-1):
 * who was let in, on whose word, until when and on which shift, and when the enrollment was erased.
 */
export function TemporaryStaffReviewList({ entries }: { entries: readonly TemporaryStaffReviewEntry[] }) {
  return (
    <section className="review-jit" aria-label="Temporary staff" data-testid="review-temporary">
      <h3>Temporary staff</h3>
      {entries.length === 0 ? (
        <p className="review-muted">No temporary staff enrolled in this window.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Temporary clinician</th>
              <th scope="col">Sponsor</th>
              <th scope="col">Until</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.person.userId} ${e.expiresAt}`} data-testid="review-temporary-entry">
                <td>
                  {e.person.displayName}
                  <br />
                  <span className="review-muted">
                    {e.workstation}, {when(e.enrolledAt)}
                  </span>
                </td>
                <td>{e.sponsor.displayName}</td>
                <td>
                  {when(e.expiresAt)}
                  {e.shift && ` (shift ${e.shift})`}
                </td>
                <td>
                  {when(e.endedAt)}
                  {e.endedWhy && ` (${e.endedWhy})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

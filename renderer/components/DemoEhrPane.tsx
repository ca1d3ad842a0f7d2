import { useT } from '../i18n/use-t';

/**
 * Stands where the hospital's EHR is shown. In Electron the shell places the EHR's own web view over
 * this pane (a separate, per-user browser partition); in the harness this placeholder is the pane. Either
 * way it is unmounted, not covered, the moment the session leaves the screen.
 */
export function DemoEhrPane() {
  const t = useT();
  return (
    <section className="ehr-pane" data-testid="ehr-pane" aria-label={t('ehr.label')}>
      <h2>Demo EHR</h2>
      <p className="ehr-note">Placeholder for the hospital&apos;s EHR web view (demo data, no real patients).</p>
      <table className="ehr-table">
        <thead>
          <tr>
            <th>Bed</th>
            <th>Patient</th>
            <th>Next task</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>4A</td>
            <td>Demo Patient One</td>
            <td>Vitals due 10:00</td>
          </tr>
          <tr>
            <td>4B</td>
            <td>Demo Patient Two</td>
            <td>Medication round 10:30</td>
          </tr>
        </tbody>
      </table>
      <label className="ehr-field">
        Nursing note
        <textarea data-testid="ehr-note" rows={3} />
      </label>
    </section>
  );
}

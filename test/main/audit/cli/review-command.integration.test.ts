import { describe, expect, it } from 'vitest';
import { runAuditCli } from '../../../../main/audit/cli/audit-cli.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { startReviewSource } from '../../../../tools/review-source/review-source-server.js';
import { breakGlassStart, breakGlassStop } from '../../../support/break-glass-events.js';
import { journalFixture } from '../support/journal-fixture.js';
import { useTeardown } from '../support/lifecycle.js';

const teardown = useTeardown();

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// The CLI reads the real clock: the episodes are placed an hour ago.
const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
const episode = { grantId: 'bg-cli', patient: 'Patient/p-1005', startedAt: hourAgo, durationMin: 30 };

describe('careshell-audit review', () => {
  it("lists the episodes of a workstation's journal", async () => {
    const f = await journalFixture();
    teardown(f.cleanup);
    const journal = await f.open();
    await journal.append(breakGlassStart(episode));
    await journal.close();
    const { code, stdout } = await run('review', 'list', '--dir', f.directory);
    expect(code).toBe(0);
    expect(stdout).toContain('1 break-glass episode(s) since');
    expect(stdout).toContain('bg-cli');
    expect(stdout).toContain('Ana Lopez, RN (u-nurse-ana) at COW-3F-12');
    expect(stdout).toContain('patient(s): Patient/p-1005');
    expect(stdout).toContain('30 of 30 min, expired (no end recorded)');
    expect(stdout).toContain('decision: NOT REVIEWED');
  });

  it('records a decision in the review source and lists it from there', async () => {
    const server = await startReviewSource();
    teardown(() => server.close());
    const put = async (id: string, event: ReturnType<typeof breakGlassStart>) =>
      fetch(`${server.baseUrl}/AuditEvent/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(toFhirAuditEvent({ id, seq: 1, event })),
      });
    await put('e-1', breakGlassStart(episode));
    await put('e-2', breakGlassStop(episode, new Date(Date.parse(hourAgo) + 600_000).toISOString(), 'end-now'));

    const decided = await run(
      'review',
      'decide',
      '--source',
      server.baseUrl,
      '--grant',
      'bg-cli',
      '--decision',
      'escalate',
      '--note',
      'VIP chart, no ED encounter',
      '--reviewer',
      'u-privacy-dan',
      '--reviewer-name',
      'Dan Weber',
    );
    expect(decided).toMatchObject({ code: 0, stdout: 'Recorded: escalate.\n' });
    const listed = await run('review', 'list', '--source', server.baseUrl, '--json');
    expect(listed.code).toBe(0);
    const queue = JSON.parse(listed.stdout) as {
      episodes: { grantId: string; minutesInForce: number; decision?: object }[];
    };
    expect(queue.episodes).toEqual([
      expect.objectContaining({
        grantId: 'bg-cli',
        minutesInForce: 10,
        decision: expect.objectContaining({
          decision: 'escalate',
          reviewer: 'Dan Weber',
          note: 'VIP chart, no ED encounter',
        }),
      }),
    ]);
  });

  it('refuses an unknown episode and a bad decision', async () => {
    const server = await startReviewSource();
    teardown(() => server.close());
    const base = ['review', 'decide', '--source', server.baseUrl, '--reviewer', 'u-privacy-dan', '--note', 'x'];
    const unknown = await run(...base, '--grant', 'bg-none', '--decision', 'justified');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No break-glass episode bg-none');
    const bad = await run(...base, '--grant', 'bg-none', '--decision', 'fine');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--decision');
    expect(server.resources()).toEqual([]);
  });
});

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RevocationServer } from '../../tools/revocation-server/revocation-server.js';
import type { HospitalDescription } from './hospital-description.js';

/** What a demo (a test, a bench) may change in the demo's machine policy. */
export interface DemoPolicyOptions {
  profile?: string;
  /** Replaces the demo policy's `breakGlass` section (tests: a low frequency limit). */
  breakGlass?: Record<string, unknown>;
  /** Replaces the demo policy's `justInTime` section (DEMO_JUST_IN_TIME). */
  justInTime?: Record<string, unknown>;
  /** The demo policy's `session` section (benchmarks: an idle timeout longer than a grant). */
  session?: Record<string, unknown>;
  /** The demo policy's `identity.stepUp` section (tests: break-glass proved with the PIN). */
  stepUp?: Record<string, unknown>;
  /**
   * The revocation list the workstation follows: by default the hospital's own publisher (tools/revocation-server)
   * on the demo's clock; several demos may share one (`server`, with the CA that signed its certificate).
   * pollSeconds: identity.revocationList.pollSeconds (default 30).
   */
  revocation?: { server?: RevocationServer; caPem?: string; pollSeconds?: number };
  /** Replaces the demo policy's `temporaryAccess` section (tests: a shift window that excludes now). */
  temporaryAccess?: Record<string, unknown>;
}

/** Shift windows the demo's sponsors may restrict temporary staff to (workstation time). */
const DEMO_SHIFTS = [
  { start: '07:00', end: '19:30' },
  { start: '19:00', end: '07:30' },
];

/**
 * The demo's just-in-time access (docs/temporary-access.md#just-in-time-access): another unit's census is low-risk
 * and granted at once (the demo EHR agrees: tools/demo-ehr/jit-config.ts); a named patient needs an approver and
 * the requester's step-up; the charge-nurse role needs an approver. Dr Ben Okafor (physician) approves.
 */
const DEMO_JUST_IN_TIME = {
  approverRoles: ['charge-nurse', 'physician'],
  scopes: [
    {
      kind: 'unit',
      values: [
        { value: 'unit-4w', label: '4 West - General Medicine' },
        { value: 'unit-ed', label: 'Emergency Department' },
      ],
      maxMinutes: 720,
      autoApprove: true,
    },
    { kind: 'patient', maxMinutes: 240, stepUp: true },
    { kind: 'role', values: [{ value: 'charge-nurse', label: 'Charge nurse' }], maxMinutes: 720 },
  ],
};

/**
 * The demo's machine policy: a simulated reader, the local OpenID provider and the demo EHR; plain key files
 * allowed; break-glass alerts mailed to the local mailbox and every event forwarded to the local review source.
 */
export function demoPolicy(
  hospital: HospitalDescription,
  caFile: string,
  readerId: string,
  options: DemoPolicyOptions,
): Record<string, unknown> {
  const { profile } = options;
  return {
    version: 1,
    ...(profile ? { profile } : {}),
    ...(options.session ? { session: options.session } : {}),
    audit: {
      forwarders: [
        {
          kind: 'email',
          id: 'privacy-alerts',
          smtp: { ...hospital.mailbox, security: 'plain' },
          from: 'careshell@demo.test',
          to: ['privacy.office@demo.test'],
        },
        {
          kind: 'fhir',
          id: 'review-source',
          baseUrl: hospital.reviewSourceUrl,
          tls: { caFile },
          retry: { initialMs: 200, maxMs: 5_000 },
        },
      ],
      review: {
        sourceUrl: hospital.reviewSourceUrl,
        tls: { caFile },
        ehrAccessLogOrigins: [hospital.ehrOrigin],
      },
    },
    readers: {
      readers: [{ driver: 'simulated', id: readerId, description: 'Demo badge reader', presence: true }],
      fallback: 'Use the demo controls page to tap a badge.',
    },
    identity: {
      ...hospital.idp,
      ...(options.stepUp ? { stepUp: options.stepUp } : {}),
      revocationList: {
        url: hospital.revocationList.url,
        publicKeys: [hospital.revocationList.publicJwk],
        pollSeconds: options.revocation?.pollSeconds ?? 30,
      },
    },
    ehr: { url: `${hospital.ehrOrigin}/` },
    breakGlass: options.breakGlass ?? { scopes: ['patient', 'all-restricted'] },
    justInTime: options.justInTime ?? DEMO_JUST_IN_TIME,
    temporaryAccess: options.temporaryAccess ?? { shifts: DEMO_SHIFTS },
    hardening: { allowPlaintextKeyStorage: true },
  };
}

/** Writes the demo policy where only this user can change it, as the loader requires of /etc/careshell. */
export async function installDemoPolicy(dataDir: string, policy: Record<string, unknown>): Promise<string> {
  const folder = path.join(dataDir, 'policy');
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o755);
  const file = path.join(folder, 'policy.json');
  await writeFile(file, JSON.stringify(policy, null, 2), { mode: 0o644 });
  return file;
}

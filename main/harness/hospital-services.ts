import path from 'node:path';
import type { Clock } from '../../common/clock.js';
import { startDemoEhr, type DemoEhr } from '../../tools/demo-ehr/demo-ehr.js';
import { startLocalIdp, type LocalIdp } from '../../tools/local-idp/local-idp.js';
import { createTestCa } from '../../tools/local-idp/test-ca.js';
import { startLocalMailbox, type LocalMailbox } from '../../tools/mailbox/local-mailbox.js';
import { startReviewSource, type ReviewSourceServer } from '../../tools/review-source/review-source-server.js';
import { startRevocationServer, type RevocationServer } from '../../tools/revocation-server/revocation-server.js';
import type { HospitalDescription } from './hospital-description.js';

export interface HospitalServices {
  idp: LocalIdp;
  ehr: DemoEhr;
  mailbox: LocalMailbox;
  reviewSource: ReviewSourceServer;
  /** The revocation list's publisher: the hospital's own, or the one shared through HospitalOptions.revocation. */
  revocations: RevocationServer;
  description: HospitalDescription;
  stop(): Promise<void>;
}

export interface HospitalOptions {
  clock: Clock;
  /** Where the EHR's restricted page sends its break-glass link (DemoEhrOptions.breakGlassLinkVia). */
  breakGlassLinkVia?: () => string | undefined;
  /** Where the revocation list publisher keeps its signing key and state. */
  dataDir: string;
  /** A publisher several hospitals' demos share (tests: two workstations, one list), with the CA of its certificate. */
  revocation?: { server: RevocationServer; caPem: string };
}

/**
 * Starts the demo hospital's services side by side (a workstation's lock screen waits for the slowest, not for
 * their sum): the local identity provider, the review source and the revocation list publisher on one demo CA,
 * the privacy office's mailbox, then the demo EHR, which registers itself with the identity provider.
 */
export async function startHospitalServices(options: HospitalOptions): Promise<HospitalServices> {
  const ca = createTestCa('CareShell demo CA');
  const serverTls = () => ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const shared = options.revocation;
  const [idp, mailbox, reviewSource, revocations] = await Promise.all([
    startLocalIdp({ ca }),
    startLocalMailbox(),
    startReviewSource({ tls: serverTls() }),
    shared
      ? shared.server
      : startRevocationServer({
          tls: serverTls(),
          dataDir: path.join(options.dataDir, 'revocation-server'),
          clock: options.clock,
        }),
  ]);
  const stopOthers = async () => {
    if (!shared) await revocations.close();
    await mailbox.stop();
    await reviewSource.close();
    await idp.stop();
  };
  let ehr: DemoEhr;
  try {
    ehr = await startDemoEhr({
      idp,
      clock: options.clock,
      ...(options.breakGlassLinkVia ? { breakGlassLinkVia: options.breakGlassLinkVia } : {}),
    });
  } catch (error) {
    await stopOthers();
    throw error;
  }
  const started = ehr;
  return {
    idp,
    ehr,
    mailbox,
    reviewSource,
    revocations,
    description: {
      caPem: ca.caPem,
      idp: {
        clientId: idp.msal.clientId,
        authority: idp.msal.authority,
        knownAuthorities: idp.msal.knownAuthorities ?? [],
        protocolMode: idp.msal.protocolMode,
        consentForOfflineAccess: idp.msal.consentForOfflineAccess ?? false,
      },
      ehrOrigin: ehr.origin,
      mailbox: { host: mailbox.host, port: mailbox.port },
      reviewSourceUrl: reviewSource.baseUrl,
      revocationList: {
        url: revocations.url,
        publicJwk: revocations.publicJwk,
        ...(shared ? { caPem: shared.caPem } : {}),
        adminToken: revocations.adminToken,
      },
    },
    async stop() {
      await started.close();
      await stopOthers();
    },
  };
}

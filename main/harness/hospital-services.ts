import type { Clock } from '../../common/clock.js';
import { startDemoEhr, type DemoEhr } from '../../tools/demo-ehr/demo-ehr.js';
import { startLocalIdp, type LocalIdp } from '../../tools/local-idp/local-idp.js';
import { createTestCa } from '../../tools/local-idp/test-ca.js';
import { startLocalMailbox, type LocalMailbox } from '../../tools/mailbox/local-mailbox.js';
import { startReviewSource, type ReviewSourceServer } from '../../tools/review-source/review-source-server.js';
import type { HospitalDescription } from './hospital-description.js';

export interface HospitalServices {
  idp: LocalIdp;
  ehr: DemoEhr;
  mailbox: LocalMailbox;
  reviewSource: ReviewSourceServer;
  description: HospitalDescription;
  stop(): Promise<void>;
}

export interface HospitalOptions {
  clock: Clock;
  /** Where the EHR's restricted page sends its break-glass link (DemoEhrOptions.breakGlassLinkVia). */
  breakGlassLinkVia?: () => string | undefined;
}

/**
 * Starts the demo hospital's services side by side (a workstation's lock screen waits for the slowest, not for
 * their sum): the local identity provider and the review source on one demo CA, the privacy office's mailbox,
 * then the demo EHR, which registers itself with the identity provider.
 */
export async function startHospitalServices(options: HospitalOptions): Promise<HospitalServices> {
  const ca = createTestCa('CareShell demo CA');
  const [idp, mailbox, reviewSource] = await Promise.all([
    startLocalIdp({ ca }),
    startLocalMailbox(),
    startReviewSource({ tls: ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] }) }),
  ]);
  const stopOthers = async () => {
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
    },
    async stop() {
      await started.close();
      await stopOthers();
    },
  };
}

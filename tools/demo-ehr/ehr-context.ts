import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../common/clock.js';
import type { AccessLog } from './access-log.js';
import { decideChartAccess, isOpen, type ChartAccess, type JitCover } from './access-rules.js';
import { breakGlassLink } from '../../common/break-glass-link.js';
import type { Chart, ChartDirectory } from './chart-directory.js';
import type { GrantStore } from './grant-store.js';
import { bearerTokenOf, cookiesOf } from './http-kit.js';
import type { IdentityClaims, IdpClient } from './idp-client.js';
import { DEFAULT_JIT_CONFIG, type JitConfig } from './jit-config.js';
import { JitGrantStore } from './jit-grant-store.js';
import { systemRandom } from '../../common/random.js';

/** What the routes need from the identity provider (an interface, so rule tests run without one). */
export type IdpSignIn = Pick<IdpClient, 'authorizationUrl' | 'signIn' | 'identityOfAccessToken'>;
import type { SessionStore } from './session-store.js';

/** What every route of one EHR instance shares, and the two things they all do: find the user, decide a chart. */
export class EhrContext {
  constructor(
    readonly origin: string,
    readonly cookieName: string,
    readonly clock: Clock,
    readonly directory: ChartDirectory,
    readonly grants: GrantStore,
    readonly log: AccessLog,
    readonly sessions: SessionStore,
    readonly idp: IdpSignIn,
    /** Where the restricted page's link points instead of the bare careshell: URL (see DemoEhrOptions). */
    private readonly pageLinkVia: () => string | undefined = () => undefined,
    /** Just-in-time grants (docs/access-grants-api.md) and the EHR's own rules for them. */
    readonly jit: JitGrantStore = new JitGrantStore(clock, systemRandom),
    readonly jitConfig: JitConfig = DEFAULT_JIT_CONFIG,
  ) {}

  /** The user's active just-in-time grants, read from the clock at each use. */
  jitCover(sub: string): JitCover {
    return {
      patient: (patient) => this.jit.patientGrant(sub, patient),
      unit: (unit) => this.jit.unitGrant(sub, unit),
    };
  }

  sessionIdOf(req: IncomingMessage): string | undefined {
    return cookiesOf(req).get(this.cookieName);
  }

  /** The user behind the EHR session cookie. */
  sessionUser(req: IncomingMessage): IdentityClaims | undefined {
    return this.sessions.session(this.sessionIdOf(req));
  }

  /** The user behind a bearer access token (checked at the provider), else behind the session cookie. */
  async requestUser(req: IncomingMessage, allowCookie: boolean): Promise<IdentityClaims | undefined> {
    const token = bearerTokenOf(req);
    if (token !== undefined) return this.idp.identityOfAccessToken(token);
    return allowCookie ? this.sessionUser(req) : undefined;
  }

  decide(user: IdentityClaims, chart: Chart): ChartAccess {
    return decideChartAccess(
      { sub: user.sub, roles: user.roles, units: this.directory.unitsOf(user.sub) },
      chart.facts,
      (patient) => this.grants.activeGrantCovering(user.sub, patient),
      this.jitCover(user.sub),
    );
  }

  /** Decides a chart open and records it in the access log, opened or not. */
  openChart(user: IdentityClaims, chart: Chart, what: string): ChartAccess {
    const access = this.decide(user, chart);
    this.log.record({
      user: { sub: user.sub, name: user.name },
      patient: chart.facts.patient,
      what,
      opened: isOpen(access),
      ...(access.kind === 'open-under-grant' ? { grantId: access.grantId } : {}),
      ...(access.kind === 'open-under-jit' ? { jitGrantId: access.grantId } : {}),
    });
    return access;
  }

  /** The restricted page's break-glass link: the careshell: URL itself, or wrapped in pageLinkVia's `link` query. */
  pageBreakGlassHref(access: ChartAccess, chart: Chart): string | undefined {
    const href = this.breakGlassHref(access, chart);
    const page = this.pageLinkVia();
    if (href === undefined || page === undefined) return href;
    const via = new URL(page);
    via.searchParams.set('link', href);
    return via.toString();
  }

  /** The break-glass link of a restricted chart, or undefined when the user may not break the glass. */
  breakGlassHref(access: ChartAccess, chart: Chart): string | undefined {
    if (access.kind !== 'restricted') return undefined;
    return breakGlassLink({
      ehr: this.origin,
      patient: chart.facts.patient,
      restrictions: access.restrictions,
      chart: `${this.origin}/patients/${chart.patient.id}`,
    });
  }
}

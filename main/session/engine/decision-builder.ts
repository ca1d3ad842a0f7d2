import type {
  AuditDraft,
  Decision,
  EngineState,
  EnrollmentRequest,
  FullSignInRequest,
  LifecycleEvent,
  Notice,
  PreGrant,
  SessionRules,
  StepUpOutcome,
  StepUpProofRequest,
} from '../engine-state.js';
import { transitionSignature } from './selectors.js';

/**
 * One decision in the making: the state as a handler changes it, and the effects it asks the service to carry
 * out. `finish` turns it into the Decision the service commits: removals decided before a grant are shown at
 * once (preGrant), the grant only once its record is durable (docs/design.md#session-semantics).
 */
export class DecisionBuilder {
  state: EngineState;
  /** The one record that grants access, when this decision grants any. */
  grant?: AuditDraft;
  private preGrant?: PreGrant;
  readonly audits: AuditDraft[] = [];
  readonly lifecycle: LifecycleEvent[] = [];
  readonly fullSignIns: FullSignInRequest[] = [];
  readonly enrollments: EnrollmentRequest[] = [];
  readonly releasedEnrollments: string[] = [];
  readonly stepUps: StepUpOutcome[] = [];
  readonly stepUpProofs: StepUpProofRequest[] = [];
  private noticeSet = false;

  constructor(
    private readonly before: EngineState,
    readonly now: number,
  ) {
    this.state = before;
  }

  get rules(): SessionRules {
    return this.state.rules;
  }

  set(patch: Partial<EngineState>): void {
    this.state = { ...this.state, ...patch };
  }

  notify(notice: Notice): void {
    this.state = { ...this.state, notice };
    this.noticeSet = true;
  }

  audit(draft: AuditDraft): void {
    this.audits.push(draft);
  }

  /** A fresh token for a new prompt, so a stale answer never applies to it. */
  nextToken(): number {
    const token = this.state.seq;
    this.set({ seq: token + 1 });
    return token;
  }

  /** Removes the pending verification without side effects (its outcome was already handled). */
  dropPending(): void {
    const { pending: _dropped, ...rest } = this.state;
    this.state = rest;
  }

  /** Everything decided so far is a removal that must not wait for the grant's audit record. */
  markPreGrant(): void {
    this.preGrant = { state: this.state, audits: [...this.audits], lifecycle: [...this.lifecycle] };
  }

  finish(): Decision {
    // A notice belongs to the screen it was shown on: a transition without a new notice clears it, and so does
    // the end or replacement of the prompt it was about (a PIN pad, a step-up dialog).
    const moved =
      transitionSignature(this.state) !== transitionSignature(this.before) ||
      this.state.pending?.token !== this.before.pending?.token;
    if (!this.noticeSet && this.state.notice && moved) {
      const { notice: _dropped, ...rest } = this.state;
      this.state = rest;
    }
    const pre = this.grant ? this.preGrant : undefined;
    const changedBefore = pre && (pre.state !== this.before || pre.audits.length > 0 || pre.lifecycle.length > 0);
    return {
      state: this.state,
      grant: this.grant,
      preGrant: changedBefore ? pre : undefined,
      audits: pre ? this.audits.slice(pre.audits.length) : this.audits,
      lifecycle: pre ? this.lifecycle.slice(pre.lifecycle.length) : this.lifecycle,
      requests: this.fullSignIns,
      enrollments: this.enrollments,
      releasedEnrollments: this.releasedEnrollments,
      stepUps: this.stepUps,
      stepUpProofs: this.stepUpProofs,
    };
  }
}

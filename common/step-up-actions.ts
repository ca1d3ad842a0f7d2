/**
 * Actions that need a fresh proof of identity (step-up, docs/design.md#session-semantics): the high-risk ones,
 * and setting up an authenticator app (whoever holds it can step up later, so adding one needs a fresh sign-in
 * itself). Shared by the renderer contract and identity's step-up policy, so both always name the same actions.
 */
export const STEP_UP_ACTIONS = [
  'break-glass',
  'export',
  'policy-change',
  'authenticator-setup',
  'just-in-time',
] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

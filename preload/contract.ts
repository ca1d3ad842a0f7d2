/**
 * The one contract between the main process and the renderer (DESIGN.md §2): every channel's name,
 * payload schema and TypeScript type. Main validates every incoming payload against it; the preload
 * (Electron IPC) and the demo harness (loopback WebSocket) are two transports for the same contract.
 */
import { z } from 'zod';
import { STEP_UP_ACTIONS, type StepUpAction } from '../common/step-up-actions.js';

/** What the renderer may know about the session: no PHI, no badge numbers, no tokens. */
export const sessionViewSchema = z.object({
  /** no-user: lock screen with nobody signed in; locked: a session is kept behind the lock screen. */
  screen: z.enum(['no-user', 'active', 'idle-warning', 'locked', 'policy-error']),
  workstation: z.string(),
  profile: z.string(),
  /** The verified user (active, idle-warning) or the owner of the kept session (locked). */
  user: z.object({ displayName: z.string(), roles: z.array(z.string()) }).optional(),
  /** On the lock screen: what the owner must present to resume. */
  reverify: z.enum(['badge', 'badge+pin', 'pin']).optional(),
  /**
   * Enrollment of an unknown badge, or a PIN reset: first a full sign-in in the sign-in window, then the
   * clinician (named once signed in) chooses a PIN on the PIN pad.
   */
  enrollment: z
    .object({
      purpose: z.enum(['enroll', 'pin-reset']),
      step: z.enum(['sign-in', 'choose-pin']),
      displayName: z.string().optional(),
    })
    .optional(),
  /**
   * Present when the PIN pad must be shown; attemptsLeft once a wrong PIN was entered; canReset when a
   * forgotten PIN can be replaced here (full sign-in, then a new PIN).
   */
  pinPrompt: z.object({ attemptsLeft: z.number().int().nonnegative().optional(), canReset: z.boolean() }).optional(),
  /**
   * On the active screen: a high-risk action waits for the user to confirm it is them, by one of `methods`
   * (a fresh sign-in at the identity provider, or a code from their authenticator app); `proving` while one is checked.
   */
  stepUp: z
    .object({
      action: z.enum(STEP_UP_ACTIONS),
      methods: z.array(z.enum(['idp', 'totp'])).min(1),
      proving: z.enum(['idp', 'totp']).optional(),
    })
    .optional(),
  /** Milliseconds left at the moment the view was sent; the renderer counts down locally. */
  idleWarningMsLeft: z.number().nonnegative().optional(),
  graceMsLeft: z.number().nonnegative().optional(),
  lifetimeMsLeft: z.number().nonnegative().optional(),
  sessionElapsedMs: z.number().nonnegative().optional(),
  /** When the lock screen offers "Sign in with your password" instead of a badge (policy session.withoutBadge). */
  withoutBadge: z.enum(['never', 'when-no-reader', 'always']).optional(),
  /** Other users' sessions kept on this workstation (count only: never whose, to the next user). */
  suspendedCount: z.number().int().nonnegative(),
  notice: z.object({ level: z.enum(['info', 'warning', 'error']), text: z.string() }).optional(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const readerStatusSchema = z.object({
  readers: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      state: z.enum(['ready', 'missing', 'error']),
      message: z.string().optional(),
    }),
  ),
  /** What the policy lets people do when no reader works (shown in the banner). */
  fallback: z.string().optional(),
});
export type ReaderStatus = z.infer<typeof readerStatusSchema>;

/**
 * A new authenticator-app secret for the signed-in clinician, after their fresh sign-in: shown once as a QR
 * code and as text for manual entry, until the first code from the app confirms it.
 */
export const authenticatorSetupSchema = z.object({
  issuer: z.string(),
  account: z.string(),
  /** Base32 secret (RFC 4648), for typing into the app by hand. */
  secret: z.string().regex(/^[A-Z2-7]+=*$/),
  /** otpauth:// URI the QR code encodes. */
  uri: z.string().startsWith('otpauth://totp/'),
});
export type AuthenticatorSetup = z.infer<typeof authenticatorSetupSchema>;

const none = z.undefined();
const pinRequest = z.object({ pin: z.string().regex(/^\d{4,12}$/, 'A PIN is 4 to 12 digits') });
const stepUpProof = z.discriminatedUnion('method', [
  z.object({ method: z.literal('idp') }),
  z.object({ method: z.literal('totp'), code: z.string().regex(/^\d{6}$/, 'An authenticator code is 6 digits') }),
]);
const ack = z.object({ ok: z.boolean(), message: z.string().optional() });

/** Renderer -> main requests, each answered once. */
export const invokeChannels = {
  'session:get-view': { request: none, response: sessionViewSchema },
  'session:activity': { request: none, response: ack },
  'session:submit-pin': { request: pinRequest, response: ack },
  /** The PIN an enrolling clinician chose (the renderer has already had it typed twice). */
  'session:choose-pin': { request: pinRequest, response: ack },
  'session:cancel-enrollment': { request: none, response: ack },
  'session:cancel-pin': { request: none, response: ack },
  /** Forgotten PIN at the PIN pad: a full sign-in as the badge holder, then a new PIN. */
  'session:forgot-pin': { request: none, response: ack },
  /** Sign in at the identity provider without a badge, where policy allows it (session.withoutBadge). */
  'session:sign-in-with-password': { request: none, response: ack },
  'session:request-step-up': { request: z.object({ action: z.enum(STEP_UP_ACTIONS) }), response: ack },
  'session:prove-step-up': { request: stepUpProof, response: ack },
  'session:cancel-step-up': { request: none, response: ack },
  'session:lock-now': { request: none, response: ack },
  'readers:get-status': { request: none, response: readerStatusSchema },
  /** The first code from the authenticator app being set up; ok once the app is the user's step-up factor. */
  'identity:confirm-authenticator': {
    request: z.object({ code: z.string().regex(/^\d{6}$/, 'An authenticator code is 6 digits') }),
    response: ack,
  },
  'identity:cancel-authenticator': { request: none, response: ack },
} as const;

/** Main -> renderer pushes. */
export const eventChannels = {
  'session:view': sessionViewSchema,
  'readers:status': readerStatusSchema,
  /** null when the setup ended (confirmed, cancelled, or the session left the screen). */
  'identity:authenticator-setup': authenticatorSetupSchema.nullable(),
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['response']>;
export type EventPayload<C extends EventChannel> = z.infer<(typeof eventChannels)[C]>;

/** What a transport must carry: the preload uses ipcRenderer, the harness a WebSocket. */
export interface ContractTransport {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  subscribe<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void;
}

/** The single object the renderer sees as window.careshell. */
export interface CareShellApi {
  session: {
    getView(): Promise<SessionView>;
    reportActivity(): Promise<InvokeResponse<'session:activity'>>;
    submitPin(pin: string): Promise<InvokeResponse<'session:submit-pin'>>;
    cancelPin(): Promise<InvokeResponse<'session:cancel-pin'>>;
    forgotPin(): Promise<InvokeResponse<'session:forgot-pin'>>;
    signInWithPassword(): Promise<InvokeResponse<'session:sign-in-with-password'>>;
    requestStepUp(action: StepUpAction): Promise<InvokeResponse<'session:request-step-up'>>;
    proveStepUp(proof: InvokeRequest<'session:prove-step-up'>): Promise<InvokeResponse<'session:prove-step-up'>>;
    cancelStepUp(): Promise<InvokeResponse<'session:cancel-step-up'>>;
    choosePin(pin: string): Promise<InvokeResponse<'session:choose-pin'>>;
    cancelEnrollment(): Promise<InvokeResponse<'session:cancel-enrollment'>>;
    lockNow(): Promise<InvokeResponse<'session:lock-now'>>;
    onView(listener: (view: SessionView) => void): () => void;
  };
  readers: {
    getStatus(): Promise<ReaderStatus>;
    onStatus(listener: (status: ReaderStatus) => void): () => void;
  };
  identity: {
    confirmAuthenticator(code: string): Promise<InvokeResponse<'identity:confirm-authenticator'>>;
    cancelAuthenticator(): Promise<InvokeResponse<'identity:cancel-authenticator'>>;
    onAuthenticatorSetup(listener: (setup: AuthenticatorSetup | null) => void): () => void;
  };
}

/** Builds window.careshell from a transport, so both transports expose exactly the same API. */
export function createCareShellApi(transport: ContractTransport): CareShellApi {
  return {
    session: {
      getView: () => transport.invoke('session:get-view', undefined),
      reportActivity: () => transport.invoke('session:activity', undefined),
      submitPin: (pin) => transport.invoke('session:submit-pin', { pin }),
      cancelPin: () => transport.invoke('session:cancel-pin', undefined),
      forgotPin: () => transport.invoke('session:forgot-pin', undefined),
      signInWithPassword: () => transport.invoke('session:sign-in-with-password', undefined),
      requestStepUp: (action) => transport.invoke('session:request-step-up', { action }),
      proveStepUp: (proof) => transport.invoke('session:prove-step-up', proof),
      cancelStepUp: () => transport.invoke('session:cancel-step-up', undefined),
      choosePin: (pin) => transport.invoke('session:choose-pin', { pin }),
      cancelEnrollment: () => transport.invoke('session:cancel-enrollment', undefined),
      lockNow: () => transport.invoke('session:lock-now', undefined),
      onView: (listener) => transport.subscribe('session:view', listener),
    },
    readers: {
      getStatus: () => transport.invoke('readers:get-status', undefined),
      onStatus: (listener) => transport.subscribe('readers:status', listener),
    },
    identity: {
      confirmAuthenticator: (code) => transport.invoke('identity:confirm-authenticator', { code }),
      cancelAuthenticator: () => transport.invoke('identity:cancel-authenticator', undefined),
      onAuthenticatorSetup: (listener) => transport.subscribe('identity:authenticator-setup', listener),
    },
  };
}

/** How a transport answers an invoke: the same shape over Electron IPC and the harness WebSocket. */
export const invokeOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type InvokeOutcome = z.infer<typeof invokeOutcomeSchema>;

/** Frames on the harness WebSocket (the Electron transport needs none: IPC already frames messages). */
export const wireFromRendererSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  payload: z.unknown().optional(),
});
export const wireToRendererSchema = z.union([
  z.object({ id: z.number().int().nonnegative(), outcome: invokeOutcomeSchema }),
  z.object({ event: z.string().max(64), payload: z.unknown().optional() }),
]);
export type WireToRenderer = z.infer<typeof wireToRendererSchema>;

/** Unwraps an outcome for the renderer: a rejected request becomes an Error with main's reason. */
export function unwrapOutcome<C extends InvokeChannel>(channel: C, raw: unknown): InvokeResponse<C> {
  const outcome = invokeOutcomeSchema.parse(raw);
  if (!outcome.ok) throw new Error(outcome.error);
  return invokeChannels[channel].response.parse(outcome.result) as InvokeResponse<C>;
}

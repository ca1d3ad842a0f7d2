/**
 * The one contract between the main process and the renderer (who may import it: tools/eslint-layer-rule.js):
 * every channel's name, payload schemas, renderer method and screens. Main validates every incoming payload
 * against it; the preload (Electron IPC) and the demo harness (loopback WebSocket) are two transports for it.
 */
import { z } from 'zod';
import { reviewDecisionRequestSchema, reviewQueueResultSchema } from '../common/break-glass-review.js';
import { authenticatorCodeSchema, pinSchema, stepUpProofSchema } from '../common/credential-schemas.js';
import { preferenceChangeSchema, preferencesViewSchema } from '../common/preference-schemas.js';
export type { PreferenceChange, PreferenceKey, PreferencesView } from '../common/preference-schemas.js';
import { NOTICE_IDS } from '../common/notice-ids.js';
import { STEP_UP_ACTIONS } from '../common/step-up-actions.js';

/**
 * Where a channel answers. A session can be worked with on the first four screens; the policy-error screen
 * (the workstation fails closed on an invalid machine policy) answers only the reads that draw it.
 */
const SESSION_SCREENS = ['no-user', 'active', 'idle-warning', 'locked'] as const;
export const SCREENS = [...SESSION_SCREENS, 'policy-error'] as const;
export type Screen = (typeof SCREENS)[number];

/** What the renderer may know about the session: no PHI, no badge numbers, no tokens. */
export const sessionViewSchema = z.object({
  /** no-user: lock screen with nobody signed in; locked: a session is kept behind the lock screen. */
  screen: z.enum(SCREENS),
  workstation: z.string(),
  profile: z.string(),
  /** The verified user (active, idle-warning) or the owner of the kept session (locked). */
  user: z
    .object({
      displayName: z.string(),
      roles: z.array(z.string()),
      /** Temporary (locum, agency) staff: when their sponsored access ends (ISO 8601); header and lock screen say so. */
      temporaryUntil: z.iso.datetime().optional(),
    })
    .optional(),
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
  pinPrompt: z
    .object({
      attemptsLeft: z.number().int().nonnegative().optional(),
      /** Whose PIN is asked for: during a switch, not the owner of the locked session. */
      displayName: z.string().optional(),
      /** That person is temporary staff, until then (ISO 8601). */
      temporaryUntil: z.iso.datetime().optional(),
      canReset: z.boolean(),
    })
    .optional(),
  /**
   * On the active screen: a high-risk action waits for the user to confirm it is them, by one of `methods`
   * (a fresh sign-in at the identity provider, a code from their authenticator app, or their PIN); `proving` while one
   * is checked.
   */
  stepUp: z
    .object({
      action: z.enum(STEP_UP_ACTIONS),
      methods: z.array(z.enum(['idp', 'totp', 'pin'])).min(1),
      proving: z.enum(['idp', 'totp', 'pin']).optional(),
    })
    .optional(),
  /** Milliseconds left at the moment the view was sent; the renderer counts down locally. */
  idleWarningMsLeft: z.number().nonnegative().optional(),
  /** On the active screen: time left before the idle lock, if nobody touches the workstation. */
  idleLockMsLeft: z.number().nonnegative().optional(),
  graceMsLeft: z.number().nonnegative().optional(),
  lifetimeMsLeft: z.number().nonnegative().optional(),
  sessionElapsedMs: z.number().nonnegative().optional(),
  /** On the lock screen: a sign-in at the identity provider is awaited (its window may be behind); it can be cancelled. */
  signingIn: z.boolean().optional(),
  /** When the lock screen offers "Sign in with your password" instead of a badge (policy session.withoutBadge). */
  withoutBadge: z.enum(['never', 'when-no-reader', 'always']).optional(),
  /** Other users' sessions kept on this workstation (count only: never whose, to the next user). */
  suspendedCount: z.number().int().nonnegative(),
  /**
   * The one current message for the screen, as a message id and its parameters: the renderer words it in the
   * screen's language (common/notice-ids.ts, renderer/i18n/).
   */
  notice: z
    .object({
      level: z.enum(['info', 'warning', 'error']),
      id: z.enum(NOTICE_IDS),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .optional(),
  /**
   * How to draw the screens (policy session.display): when to show the lock countdown. Language and sound cues
   * are preferences (preferences:get), not session rules.
   */
  display: z.object({ lockCountdownMs: z.number().nonnegative() }).optional(),
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

/**
 * Break-glass as the renderer may know it, for the session on screen: whether the header offers it, the dialog
 * (reasons, limits, the patient of the refused chart), and the active grant's countdown. The grant itself lives on
 * the EHR's server (docs/break-glass.md).
 */
const breakGlassScopeSchema = z.enum(['patient', 'all-restricted']);
export const breakGlassStateSchema = z.object({
  offered: z.boolean(),
  dialog: z
    .object({
      extending: z.boolean(),
      /** "Patient/<id>" of the refused chart; absent when opened from the header. */
      patient: z.string().optional(),
      restrictions: z.array(z.string()),
      reasons: z.array(z.object({ code: z.string(), label: z.string() })).min(1),
      scopes: z.array(breakGlassScopeSchema).min(1),
      minMinutes: z.number().int(),
      maxMinutes: z.number().int(),
      defaultMinutes: z.number().int(),
      /** Break-glass episodes of this clinician in the last 30 days, this one included. */
      episodesIn30Days: z.number().int().nonnegative(),
      /** Set when the count reached the policy's warning level. */
      frequencyWarning: z.string().optional(),
      busy: z.boolean(),
      error: z.string().optional(),
      /** Above the frequency limit: a second clinician co-signs with badge, then PIN (named once their badge is read). */
      cosign: z
        .object({ verified: z.boolean(), cosigner: z.string().optional(), error: z.string().optional() })
        .optional(),
    })
    .optional(),
  grant: z
    .object({
      scope: breakGlassScopeSchema,
      patient: z.string().optional(),
      /** Milliseconds left on the EHR's clock when sent; the renderer counts down locally. */
      msLeft: z.number().nonnegative(),
      /** The 10- and 2-minute warnings. */
      warning: z.string().optional(),
      canExtend: z.boolean(),
    })
    .optional(),
});
export type BreakGlassState = z.infer<typeof breakGlassStateSchema>;

const shiftWindowViewSchema = z.object({
  start: z.string().regex(/^\d{2}:\d{2}$/),
  end: z.string().regex(/^\d{2}:\d{2}$/),
});

/**
 * Sponsoring a temporary (locum, agency) enrollment (docs/temporary-access.md): after the newcomer chose a PIN,
 * a sponsor taps their badge (step badge), enters their PIN (step pin), then picks how many days and which shift
 * window (step terms). null when no sponsorship is asked for.
 */
export const sponsorStateSchema = z
  .object({
    /** The newcomer, as their identity provider names them. */
    newcomer: z.string(),
    step: z.enum(['badge', 'pin', 'terms']),
    /** The sponsor, once their badge was read. */
    sponsor: z.string().optional(),
    /** Why the last badge, PIN or choice was refused, for the person at the screen. */
    error: z.string().optional(),
    maxDays: z.number().int().min(1),
    defaultDays: z.number().int().min(1),
    shifts: z.array(shiftWindowViewSchema),
    requireShift: z.boolean(),
    /** The workstation's wall clock when sent: the end date shown for each choice counts from it. */
    now: z.iso.datetime(),
    busy: z.boolean(),
  })
  .nullable();
export type SponsorState = z.infer<typeof sponsorStateSchema>;

/**
 * Just-in-time access as the renderer may know it, for the session on screen (docs/temporary-access.md): whether
 * the header offers "Request access", the request dialog (scopes, purposes, limits; then the approver's badge and
 * PIN at this workstation), and the active grant's countdown. The grant itself lives on the EHR's server.
 */
const jitScopeKindSchema = z.enum(['unit', 'patient', 'role']);
export const justInTimeStateSchema = z.object({
  offered: z.boolean(),
  dialog: z
    .object({
      /** form: the requester fills it in; step-up: proving it is them; approver: waiting for a badge, then PIN. */
      step: z.enum(['form', 'step-up', 'approver', 'sending', 'refused']),
      scopes: z
        .array(
          z.object({
            kind: jitScopeKindSchema,
            values: z.array(z.object({ value: z.string(), label: z.string() })),
            maxMinutes: z.number().int(),
            autoApprove: z.boolean(),
            stepUp: z.boolean(),
          }),
        )
        .min(1),
      purposes: z.array(z.object({ code: z.string(), label: z.string() })).min(1),
      minMinutes: z.number().int(),
      defaultMinutes: z.number().int(),
      /** What was asked, once submitted: the approver reads it before deciding. */
      request: z
        .object({
          requester: z.string(),
          scope: jitScopeKindSchema,
          value: z.string(),
          valueLabel: z.string(),
          purpose: z.string(),
          purposeText: z.string(),
          durationMinutes: z.number().int(),
        })
        .optional(),
      /** The approver, named once their badge was read (before their PIN). */
      approver: z.string().optional(),
      busy: z.boolean(),
      error: z.string().optional(),
    })
    .optional(),
  grant: z
    .object({
      scope: jitScopeKindSchema,
      value: z.string(),
      label: z.string(),
      /** Milliseconds left on the EHR's clock when sent; the renderer counts down locally. */
      msLeft: z.number().nonnegative(),
      /** Who approved it; absent when policy approved it (low-risk scope). */
      approvedBy: z.string().optional(),
      warning: z.string().optional(),
    })
    .optional(),
});
export type JustInTimeState = z.infer<typeof justInTimeStateSchema>;

/**
 * Where the harness shows the EHR (its own iframe: the Electron shell uses a web view per session instead and
 * never sends this); null when no EHR may be on screen. `key` changes whenever the frame must load anew.
 */
export const ehrFrameSchema = z.object({ key: z.number().int(), url: z.url(), hidden: z.boolean() }).nullable();
export type EhrFrame = z.infer<typeof ehrFrameSchema>;

const none = z.undefined();
const pinRequest = z.object({ pin: pinSchema });
const ack = z.object({ ok: z.boolean(), message: z.string().optional() });

/** One invoke channel: its payloads, the renderer method that calls it, and the screens that answer it. */
interface InvokeSpec {
  /** The method in window.careshell; its namespace is the channel name's prefix ('session:' -> session). */
  readonly method: string;
  /** A method whose request is `none` takes no argument; any other takes the request object itself. */
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  readonly screens: readonly Screen[];
}

/** A read: answered on every screen, the policy-error screen included (it is what draws them). */
function read<M extends string, Response extends z.ZodType>(method: M, response: Response) {
  return { method, request: none, response, screens: SCREENS };
}

/** An action: answered with an ack, on every screen where a session can be worked with (all but policy-error). */
function action<M extends string, Request extends z.ZodType = typeof none>(method: M, request?: Request) {
  // NoInfer: without a request the default applies, not the ZodType the table's `satisfies` would suggest.
  return { method, request: (request ?? none) as NoInfer<Request>, response: ack, screens: SESSION_SCREENS };
}

/**
 * Renderer -> main requests, each answered once: the only place a channel is declared. The renderer API
 * (createCareShellApi), the refusal on screens a channel is not declared for, and the type of main's handler
 * table (main/contract/contract-server.ts) are all derived from this table.
 */
export const invokeChannels = {
  'session:get-view': read('getView', sessionViewSchema),
  'session:activity': action('reportActivity'),
  'session:submit-pin': action('submitPin', pinRequest),
  /** The PIN an enrolling clinician chose (the renderer has already had it typed twice). */
  'session:choose-pin': action('choosePin', pinRequest),
  'session:cancel-enrollment': action('cancelEnrollment'),
  'session:cancel-pin': action('cancelPin'),
  /** Forgotten PIN at the PIN pad: a full sign-in as the badge holder, then a new PIN. */
  'session:forgot-pin': action('forgotPin'),
  /** Sign in at the identity provider without a badge, where policy allows it (session.withoutBadge). */
  'session:sign-in-with-password': action('signInWithPassword'),
  /** Stop waiting for the sign-in at the identity provider that the lock screen is waiting for. */
  'session:cancel-sign-in': action('cancelSignIn'),
  /** Bring the identity provider's sign-in window, which a sign-in is waiting for, back to the front. */
  'session:show-sign-in': { ...action('showSignIn'), screens: ['no-user', 'locked', 'active'] as const },
  'session:request-step-up': action('requestStepUp', z.object({ action: z.enum(STEP_UP_ACTIONS) })),
  'session:prove-step-up': action('proveStepUp', stepUpProofSchema),
  'session:cancel-step-up': action('cancelStepUp'),
  'session:lock-now': action('lockNow'),
  'readers:get-status': read('getStatus', readerStatusSchema),
  /** The first code from the authenticator app being set up; ok once the app is the user's step-up factor. */
  'identity:confirm-authenticator': action('confirmAuthenticator', z.object({ code: authenticatorCodeSchema })),
  'identity:cancel-authenticator': action('cancelAuthenticator'),
  /** The workstation's preferences, and which of them machine policy sets (shown "set by your organisation"). */
  'preferences:get': {
    method: 'get' as const,
    request: none,
    response: preferencesViewSchema,
    screens: SESSION_SCREENS,
  },
  /** Refused for a key machine policy sets. */
  'preferences:set': action('set', preferenceChangeSchema),
  /** The break-glass review queue, for the signed-in privacy officer only (docs/break-glass-review.md). */
  'review:get-queue': { ...read('getQueue', reviewQueueResultSchema), screens: ['active'] as const },
  'review:decide': { ...action('decide', reviewDecisionRequestSchema), screens: ['active'] as const },
  /** The review screen opened or closed: main takes the EHR view off the screen while it is open. */
  'review:set-open': { ...action('setOpen', z.object({ open: z.boolean() })), screens: ['active'] as const },
  'breakglass:get-state': read('getState', breakGlassStateSchema),
  /** The header's "Emergency access" button. */
  'breakglass:open': action('open'),
  /** A break-glass link the harness frame caught (main checks it came from the policy's EHR). */
  'breakglass:open-link': action('openLink', z.object({ link: z.string().max(4096) })),
  'breakglass:confirm': action(
    'confirm',
    z.object({
      scope: breakGlassScopeSchema,
      /** "Patient/<id>", required for the patient scope. */
      patient: z.string().max(80).optional(),
      reasonCode: z.string().max(64),
      reasonText: z.string().trim().min(1).max(2000),
      attested: z.literal(true),
      durationMinutes: z.number().int().min(1).max(1440),
    }),
  ),
  /** The co-signer's PIN, after their badge was read. */
  'breakglass:cosign-pin': action('cosignPin', pinRequest),
  'breakglass:cancel': action('cancel'),
  'breakglass:extend': action('extend'),
  'breakglass:end': action('end'),
  'jit:get-state': read('getState', justInTimeStateSchema),
  /** The header's "Request access" button. */
  'jit:open': action('open'),
  'jit:submit': action(
    'submit',
    z.object({
      scope: jitScopeKindSchema,
      /** A unit or role id the policy lists, or "Patient/<id>". */
      value: z.string().min(1).max(80),
      purposeCode: z.string().max(64),
      purposeText: z.string().trim().min(1).max(2000),
      durationMinutes: z.number().int().min(1).max(1440),
    }),
  ),
  /** The approver's PIN after their badge was read, with their decision (a refusal says why). */
  'jit:approver-decide': action(
    'approverDecide',
    z.object({
      pin: pinSchema,
      decision: z.enum(['approve', 'refuse']),
      reason: z.string().trim().max(500).optional(),
    }),
  ),
  'jit:cancel': action('cancel'),
  'jit:end': action('end'),
  'temporary:get-sponsor': { ...read('getSponsor', sponsorStateSchema), screens: SESSION_SCREENS },
  /** The sponsor's PIN, after their badge was read. */
  'temporary:sponsor-pin': action('sponsorPin', pinRequest),
  /** The sponsor's terms: days from now (main checks the policy maximum) and a shift window, or none. */
  'temporary:sponsor-confirm': action(
    'sponsorConfirm',
    z.object({ days: z.number().int().min(1).max(366), shift: shiftWindowViewSchema.nullable() }),
  ),
  'temporary:sponsor-cancel': action('sponsorCancel'),
} satisfies Record<`${string}:${string}`, InvokeSpec>;

/** Main -> renderer pushes, with the window.careshell method that subscribes to each. */
export const eventChannels = {
  'session:view': { method: 'onView', payload: sessionViewSchema },
  'readers:status': { method: 'onStatus', payload: readerStatusSchema },
  /** A badge was read, before anything is decided about it: the screen confirms the tap at once. */
  'readers:badge-read': { method: 'onBadgeRead', payload: z.object({ readerId: z.string() }) },
  /** null when the setup ended (confirmed, cancelled, or the session left the screen). */
  'identity:authenticator-setup': { method: 'onAuthenticatorSetup', payload: authenticatorSetupSchema.nullable() },
  /** Whether the break-glass review screen is open (the stage hides the EHR view under it). */
  'review:screen': { method: 'onScreen', payload: z.boolean() },
  'breakglass:state': { method: 'onState', payload: breakGlassStateSchema },
  'jit:state': { method: 'onState', payload: justInTimeStateSchema },
  'ehr:frame': { method: 'onFrame', payload: ehrFrameSchema },
  'temporary:sponsor': { method: 'onSponsor', payload: sponsorStateSchema },
  /** The effective preferences after a person changed one or machine policy changed them. */
  'preferences:changed': { method: 'onChanged', payload: preferencesViewSchema },
} as const satisfies Record<`${string}:${string}`, { readonly method: string; readonly payload: z.ZodType }>;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['response']>;
export type EventPayload<C extends EventChannel> = z.infer<(typeof eventChannels)[C]['payload']>;

/** The channels declared for screen S (a union of screens gives the channels of any of them). */
export type ChannelsOn<S extends Screen> = {
  [C in InvokeChannel]: S extends (typeof invokeChannels)[C]['screens'][number] ? C : never;
}[InvokeChannel];

/** Whether a channel answers on a screen; the contract server refuses it otherwise. */
export function answersOn(channel: InvokeChannel, screen: Screen): boolean {
  return (invokeChannels[channel].screens as readonly Screen[]).includes(screen);
}

/** What a transport must carry: the preload uses ipcRenderer, the harness a WebSocket. */
export interface ContractTransport {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  subscribe<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void;
}

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type InvokeMethod<C extends InvokeChannel> = [InvokeRequest<C>] extends [undefined]
  ? () => Promise<InvokeResponse<C>>
  : (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
type EventMethod<C extends EventChannel> = (listener: (payload: EventPayload<C>) => void) => () => void;
type NamespaceApi<N extends string> = {
  [C in InvokeChannel as Namespace<C> extends N ? (typeof invokeChannels)[C]['method'] : never]: InvokeMethod<C>;
} & {
  [C in EventChannel as Namespace<C> extends N ? (typeof eventChannels)[C]['method'] : never]: EventMethod<C>;
};

/** The single object the renderer sees as window.careshell: one method per channel, grouped by namespace. */
export type CareShellApi = { [N in Namespace<InvokeChannel | EventChannel>]: NamespaceApi<N> };

/** Builds window.careshell from a transport, so both transports expose exactly the same API. */
export function createCareShellApi(transport: ContractTransport): CareShellApi {
  // Typed per channel by CareShellApi; here each channel is wired the same way, whatever its payloads.
  const invoke = transport.invoke as (channel: InvokeChannel, request: unknown) => Promise<unknown>;
  const subscribe = transport.subscribe as (channel: EventChannel, listener: (payload: unknown) => void) => () => void;
  const api: Record<string, Record<string, unknown>> = {};
  const namespace = (channel: string) => (api[channel.slice(0, channel.indexOf(':'))] ??= {});
  for (const [channel, spec] of Object.entries(invokeChannels) as [InvokeChannel, InvokeSpec][]) {
    // A method without a request ignores its arguments, so `onClick={api.session.lockNow}` sends no click event.
    namespace(channel)[spec.method] =
      spec.request === none ? () => invoke(channel, undefined) : (request: unknown) => invoke(channel, request);
  }
  for (const [channel, spec] of Object.entries(eventChannels) as [EventChannel, { method: string }][]) {
    namespace(channel)[spec.method] = (listener: (payload: unknown) => void) => subscribe(channel, listener);
  }
  return api as CareShellApi;
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

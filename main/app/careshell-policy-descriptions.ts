/**
 * What each machine policy key means, for the templates IT imports (ADMX/ADML, .mobileconfig, JSON Schema;
 * docs/policy.md#templates). Keyed by dot path; `*` stands for one key name (each step-up action). The
 * template test fails when a schema key has no entry here, or an entry matches no key.
 */
export interface PolicyKeyText {
  /** A short name (the Group Policy editor's list). */
  title: string;
  description: string;
  /** For a key without a default: a value that shows the form (used in the .mobileconfig example). */
  example?: unknown;
}

export const POLICY_KEY_TEXT: Record<string, PolicyKeyText> = {
  version: { title: 'Policy format version', description: 'The policy format this CareShell understands: always 1.' },
  profile: {
    title: 'Workstation profile',
    description:
      'The built-in or policy-defined profile this workstation runs: default, er-kiosk, nurse-cow, nurse-station, or a name under profiles.',
  },
  'session.idleTimeoutSeconds': {
    title: 'Idle timeout (seconds)',
    description: 'Seconds without input before the session locks.',
  },
  'session.warningSeconds': {
    title: 'Idle warning (seconds)',
    description: 'Seconds of warning shown before the idle lock; less than the idle timeout.',
  },
  'session.graceMinutes': {
    title: 'Grace period (minutes)',
    description: 'Minutes a locked session is kept so its owner can come back to it.',
  },
  'session.absoluteLifetimeHours': {
    title: 'Session lifetime (hours)',
    description: 'Hours after sign-in when a session ends, however active.',
  },
  'session.signIn': { title: 'Sign-in method', description: 'What a clinician does to sign in.' },
  'session.reverifyInGrace': {
    title: 'Re-verification in grace',
    description: 'What brings back a session kept in its grace period.',
  },
  'session.withoutBadge': {
    title: 'Sign in without a badge',
    description: 'When the lock screen offers "Sign in with your password" (enrolled accounts only).',
  },
  'session.tapOut.sameUser': {
    title: 'Tap by the signed-in user',
    description: "What a tap of the signed-in clinician's own badge does.",
  },
  'session.tapOut.ignoreWithinSeconds': {
    title: 'Ignore repeat taps (seconds)',
    description: 'Seconds after a sign-in during which a second tap of the same badge is ignored.',
  },
  'session.tapOut.otherUser': {
    title: 'Tap by another user',
    description: "What another clinician's tap does while a session is shown.",
  },
  'session.switching.previousSession': {
    title: 'Previous session on a switch',
    description: "Whether the previous clinician's session is kept (suspended) or ended on a switch.",
  },
  'session.switching.maxSuspended': {
    title: 'Suspended sessions kept',
    description: 'How many suspended sessions a workstation keeps; 0 ends the previous session on every switch.',
  },
  'session.switching.whenFull': {
    title: 'When suspended sessions are full',
    description: 'What happens to a switch once the suspended sessions are full.',
  },
  'session.pin.maxAttempts': {
    title: 'PIN attempts',
    description: 'Wrong PINs that lock the PIN until a full sign-in.',
  },
  profiles: {
    title: 'Profile overrides (JSON)',
    description:
      'Per-profile sections that replace the global ones for that profile, as JSON: {"er-kiosk": {"session": {"idleTimeoutSeconds": 90}}}.',
    example: { 'er-kiosk': { session: { idleTimeoutSeconds: 90 } } },
  },
  'readers.readers': {
    title: 'Badge readers (JSON)',
    description: 'The badge readers to open, as a JSON list (docs/readers.md); empty: every supported reader found.',
  },
  'readers.debounceMs': {
    title: 'Tap debounce (ms)',
    description: 'Milliseconds during which a repeated read of the same badge is one tap.',
  },
  'readers.reopen.initialMs': {
    title: 'Reader reopen delay (ms)',
    description: 'First wait before reopening a reader that failed; doubles up to the maximum.',
  },
  'readers.reopen.maxMs': { title: 'Reader reopen maximum (ms)', description: 'Longest wait between reopen attempts.' },
  'readers.fallback': {
    title: 'No-reader message',
    description: 'What the lock screen says when no reader works (for example, who to call).',
    example: 'No badge reader: call the service desk on 4357.',
  },
  'audit.journal.maxSegmentBytes': {
    title: 'Journal segment size (bytes)',
    description: 'Size at which the local audit journal starts a new segment.',
  },
  'audit.journal.checkpointEvery': {
    title: 'Checkpoint every (events)',
    description: 'Events between signed checkpoints of the audit journal.',
  },
  'audit.journal.checkpointIntervalMs': {
    title: 'Checkpoint interval (ms)',
    description: 'Longest time between signed checkpoints of the audit journal.',
  },
  'audit.forwarders': {
    title: 'Audit forwarding (JSON)',
    description:
      'Where audit events are sent (ATNA over RELP or syslog, FHIR AuditEvent, break-glass alert mail), as a JSON list (docs/audit.md).',
  },
  'audit.review.sourceUrl': {
    title: 'Break-glass review source',
    description:
      "FHIR R4 base where every workstation's break-glass events are searched for the privacy officers' review (https).",
    example: 'https://audit.contoso.example/fhir',
  },
  'audit.review.tls.caFile': {
    title: 'Review source CA file',
    description: "PEM file of the CA(s) that signed the review source's certificate; unset, the system CAs.",
  },
  'audit.review.site': {
    title: 'Review site',
    description: 'AuditEvent.source.site of the review decisions written to the review source.',
  },
  'audit.review.ehrAccessLogOrigins': {
    title: 'EHR access-log origins',
    description:
      "EHR origins whose access log may be read with the reviewer's own token, for the charts a break-glass episode opened.",
  },
  'audit.review.windowDays': {
    title: 'Review window (days)',
    description: 'Days of break-glass episodes the review queue lists.',
  },
  'audit.review.timeoutMs': {
    title: 'Review source timeout (ms)',
    description: 'How long a request to the review source or an EHR access log may take.',
  },
  'audit.review.reviewerRole': {
    title: 'Reviewer role',
    description: 'The role whose holders may open the break-glass review queue and record decisions.',
  },
  'identity.clientId': {
    title: 'Identity provider client ID',
    description: "The app registration's application (client) ID.",
    example: '00000000-0000-0000-0000-000000000000',
  },
  'identity.authority': {
    title: 'Identity provider authority',
    description: 'The https authority; Entra ID: https://login.microsoftonline.com/<tenant>.',
    example: 'https://login.microsoftonline.com/contoso.example',
  },
  'identity.knownAuthorities': {
    title: 'Known authorities',
    description: 'Hosts (host:port) trusted without Entra instance discovery: needed for a non-Entra provider.',
  },
  'identity.protocolMode': { title: 'Protocol mode', description: 'AAD for Entra ID; OIDC for any other provider.' },
  'identity.scopes': { title: 'EHR scopes', description: 'Scopes requested for the EHR.' },
  'identity.rolesClaim': { title: 'Roles claim', description: 'The ID-token claim that carries roles.' },
  'identity.consentForOfflineAccess': {
    title: 'Ask consent for offline access',
    description: 'Send prompt=consent so a non-Entra provider grants a refresh token.',
  },
  'identity.allowedOrigins': {
    title: 'Sign-in origins',
    description: 'Other https origins the sign-in window may go to during a sign-in (a federated ADFS).',
  },
  'identity.extraCaFiles': {
    title: 'Extra CA files',
    description: 'PEM files of extra CAs trusted for the provider (a TLS-inspecting proxy).',
  },
  'identity.pin.minLength': { title: 'PIN minimum length', description: 'Fewest digits in a PIN.' },
  'identity.pin.backoffBaseMs': {
    title: 'PIN back-off (ms)',
    description: 'Wait after a wrong PIN; doubles with each one, up to the maximum.',
  },
  'identity.pin.backoffMaxMs': { title: 'PIN back-off maximum (ms)', description: 'Longest wait after wrong PINs.' },
  'identity.pin.rejectTrivial': {
    title: 'Refuse trivial PINs',
    description: 'Refuse PINs such as 1234 or 1111.',
  },
  'identity.stepUp.actions.*.methods': {
    title: 'Step-up methods',
    description:
      'How a person proves it is them again for this action: idp (a fresh sign-in at the identity provider), totp (a code from their authenticator app), pin (their own PIN, counted towards the same back-off and lockout as at the lock screen; not for authenticator-setup). Required once any key of the action is set: an action set in policy replaces all its defaults.',
  },
  'identity.stepUp.actions.*.allowedRoles': {
    title: 'Step-up roles',
    description: 'Roles allowed to do this action; unset: any signed-in clinician.',
  },
  'identity.stepUp.actions.*.maxAuthAgeMs': {
    title: 'Step-up freshness (ms)',
    description: 'How recent the proof must be, in milliseconds.',
  },
  'identity.groupRoles': {
    title: 'Roles from groups (JSON)',
    description:
      'Maps identity-provider group ids to CareShell roles, as a JSON object {"<group id>": ["role", ...]}: for an Entra registration that sends groups instead of app roles.',
    example: { '00000000-0000-0000-0000-000000000001': ['clinical', 'nurse'] },
  },
  'identity.stepUp.authenticationContext': {
    title: 'Step-up authentication context',
    description:
      "An Entra Conditional Access authentication context (c1 to c99) asked for at step-up and confirmed by the token's acrs claim; unset, the ID token's auth_time is checked.",
    example: 'c1',
  },
  'identity.revoked': {
    title: 'Revoked accounts (JSON)',
    description:
      'Accounts taken off CareShell, as a JSON list of {"userId", "reason"}: each is unenrolled and refused while listed.',
  },
  'identity.revocationList.url': {
    title: 'Revocation list address',
    description:
      'The https address of the signed revocation list every workstation polls; listed accounts are unenrolled and their sessions ended.',
    example: 'https://revocations.contoso.example/careshell/revocations.jws',
  },
  'identity.revocationList.publicKeys': {
    title: 'Revocation list signing keys (JSON)',
    description:
      'The public keys (JWK, Ed25519 or P-256, each with its "kid") whose signature a revocation list must carry; two during a key rotation.',
    example: [
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'revocations-2026' },
    ],
  },
  'identity.revocationList.issuer': {
    title: 'Revocation list issuer',
    description: 'When set, the list\'s "iss" must be exactly this.',
    example: 'https://revocations.contoso.example',
  },
  'identity.revocationList.pollSeconds': {
    title: 'Revocation list poll (seconds)',
    description:
      'Seconds between two fetches of the revocation list (5 to 300); a revocation reaches the workstation within about this.',
  },
  'identity.revocationList.maxAgeMinutes': {
    title: 'Revocation list maximum age (minutes)',
    description:
      'A list issued longer ago than this, or past its expiresAt, is stale: a new one is refused, the kept one is reported to IT.',
  },
  'identity.revocationList.extraCaFiles': {
    title: 'Revocation list extra CA files',
    description: 'PEM files of extra CAs trusted for the revocation list server, besides identity.extraCaFiles.',
  },
  'ehr.url': {
    title: 'EHR address',
    description: 'The EHR web app shown to signed-in clinicians (https).',
    example: 'https://ehr.contoso.example/',
  },
  'ehr.allowedOrigins': {
    title: 'EHR origins',
    description: 'Other https origins the EHR views may navigate or redirect to.',
  },
  'session.display.lockCountdownSeconds': {
    title: 'Lock countdown (seconds)',
    description: 'The header shows "Locks in m:ss" once less than this is left before an idle lock; 0 never.',
  },
  'health.heartbeatMinutes': {
    title: 'Heartbeat interval (minutes)',
    description:
      'Minutes between signed workstation.heartbeat audit events that tell the fleet this workstation is alive.',
  },
  'breakGlass.allowedRoles': {
    title: 'Break-glass roles',
    description: 'Roles (from the ID token) offered emergency access; anyone else never sees the option.',
  },
  'breakGlass.reasons': {
    title: 'Break-glass reasons (JSON)',
    description:
      'The coded reasons a clinician picks from, as a JSON list of {"code", "label"}: the EHR receives the code, the dialog shows the label.',
  },
  'breakGlass.defaultMinutes': {
    title: 'Break-glass time box (minutes)',
    description: 'How long a break-glass grant lasts unless the clinician picks less (15 to 480).',
  },
  'breakGlass.maxMinutes': {
    title: 'Break-glass maximum (minutes)',
    description: 'The longest a grant may last, extensions included (15 to 480).',
  },
  'breakGlass.scopes': {
    title: 'Break-glass scopes',
    description: 'What a grant may cover: patient (the chart that was refused) and/or all-restricted.',
  },
  'breakGlass.frequency.warnAt': {
    title: 'Break-glass warning (episodes in 30 days)',
    description: 'From this many episodes in 30 days (this one included) the clinician is told the use is reviewed.',
  },
  'breakGlass.frequency.cosignAbove': {
    title: 'Break-glass co-sign (episodes in 30 days)',
    description:
      'Above this many episodes in 30 days a second clinician must co-sign with badge and PIN at the same workstation; 0: always.',
  },
  'breakGlass.frequency.cosignRoles': {
    title: 'Co-signer roles',
    description: 'Roles a break-glass co-signer must hold.',
  },
  'justInTime.requesterRoles': {
    title: 'Just-in-time requester roles',
    description: 'Roles (from the ID token) offered "Request access" in the header; anyone else never sees it.',
  },
  'justInTime.approverRoles': {
    title: 'Just-in-time approver roles',
    description:
      'Roles an approver must hold (badge and PIN at the same workstation, never the requester), unless a scope names its own.',
  },
  'justInTime.purposes': {
    title: 'Just-in-time purposes (JSON)',
    description:
      'The coded purposes a requester picks from, as a JSON list of {"code", "label"}; the requester adds free text.',
  },
  'justInTime.scopes': {
    title: 'Just-in-time scopes (JSON)',
    description:
      'What may be requested, as a JSON list of {"kind": "unit" | "patient" | "role", "values": [{"value", "label"}], "maxMinutes", "autoApprove", "stepUp", "approverRoles"}; autoApprove grants low-risk scopes without an approver (the EHR must agree), stepUp asks the requester to prove it is them first.',
  },
  'justInTime.defaultMinutes': {
    title: 'Just-in-time default duration (minutes)',
    description: 'The duration the request dialog proposes (5 to 1440).',
  },
  'justInTime.maxMinutes': {
    title: 'Just-in-time maximum (minutes)',
    description: 'The longest any just-in-time grant may last (5 to 1440); a scope may set less.',
  },
  'temporaryAccess.sponsorRoles': {
    title: 'Sponsor roles',
    description:
      'Roles (from the ID token) allowed to sponsor temporary staff at a workstation with their badge and PIN; temporary staff never sponsor.',
  },
  'temporaryAccess.temporaryRoles': {
    title: 'Temporary staff roles',
    description:
      'Roles (from the ID token) that mark a person as temporary staff (locum, agency): they enroll only with a sponsor and an end date.',
  },
  'temporaryAccess.maxDays': {
    title: 'Temporary access maximum (days)',
    description: 'The longest a sponsor may let a temporary enrollment last, in days from the enrollment (1 to 90).',
  },
  'temporaryAccess.defaultDays': {
    title: 'Temporary access default (days)',
    description: 'The number of days the sponsor dialog starts at (1 to 90, not above the maximum).',
  },
  'temporaryAccess.shifts': {
    title: 'Shift windows (JSON)',
    description:
      'Shift windows a sponsor may limit a temporary badge to, as a JSON list of {"start": "HH:MM", "end": "HH:MM"} in the workstation\'s local time; an end before the start runs past midnight.',
  },
  'temporaryAccess.requireShift': {
    title: 'Require a shift window',
    description: 'On, the sponsor must pick one of the shift windows; off, "any time" is offered too.',
  },
  'temporaryAccess.refuseEndedBadgeDays': {
    title: 'Refuse an ended temporary badge (days)',
    description:
      'For this many days after a temporary enrollment ended and was erased, its badge is refused with a plain message instead of starting a new enrollment (0 to 30; 0: unknown at once).',
  },
  'kiosk.allowQuit': {
    title: 'Allow quitting',
    description: 'Closing the window or quitting ends CareShell; off, every close and quit is refused and logged.',
  },
  'hardening.allowPlaintextKeyStorage': {
    title: 'Allow plaintext key storage',
    description:
      'Accept key storage that does not really encrypt (Linux basic_text). Off, such a workstation stays locked.',
  },
  'preferences.language': {
    title: 'Language',
    description: 'The workstation\'s language; set here, people cannot change it ("set by your organisation").',
  },
  'preferences.soundCues': {
    title: 'Sound cues',
    description:
      'A short tone when a badge is read and when the idle warning opens; set here, people cannot change it.',
  },
  'preferences.pinPadLayout': {
    title: 'PIN pad layout',
    description: 'phone (1-2-3 on top) or calculator (7-8-9 on top); set here, people cannot change it.',
  },
};

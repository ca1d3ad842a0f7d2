/**
 * The people who can sign in to the local identity provider. They mirror the roles the product cares about
 * (break-glass step-up is for the `clinical` role by default: main/identity/step-up/step-up-policy.ts), so the
 * demo and the tests can show each policy path.
 * Passwords are demo values for a provider that only listens on 127.0.0.1 and is never deployed.
 */
export interface DemoUser {
  /** Stable subject id, the `sub` (and `oid`) claim. */
  id: string;
  username: string;
  password: string;
  displayName: string;
  email: string;
  roles: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'u-nurse-ana',
    username: 'ana.nurse',
    password: 'demo-nurse',
    displayName: 'Ana Lopez, RN',
    email: 'ana.lopez@careshell.test',
    roles: ['nurse', 'clinical'],
  },
  {
    id: 'u-er-ben',
    username: 'ben.er',
    password: 'demo-er',
    displayName: 'Dr Ben Okafor',
    email: 'ben.okafor@careshell.test',
    roles: ['er-physician', 'physician', 'clinical'],
  },
  {
    id: 'u-billing-cara',
    username: 'cara.billing',
    password: 'demo-billing',
    displayName: 'Cara Singh',
    email: 'cara.singh@careshell.test',
    roles: ['billing-clerk'],
  },
  {
    id: 'u-privacy-dan',
    username: 'dan.privacy',
    password: 'demo-privacy',
    displayName: 'Dan Weber',
    email: 'dan.weber@careshell.test',
    roles: ['privacy-officer'],
  },
  {
    // Sponsors temporary staff (policy temporaryAccess.sponsorRoles: docs/temporary-access.md).
    id: 'u-charge-chris',
    username: 'chris.charge',
    password: 'demo-charge',
    displayName: 'Chris Hall, Charge Nurse',
    email: 'chris.hall@careshell.test',
    roles: ['nurse', 'charge-nurse', 'clinical'],
  },
];

/**
 * An account the provider knows but the demo does not enroll: the clinician who taps the demo's unenrolled
 * badge and enrolls it (full sign-in, then a PIN of their choosing).
 */
export const NEW_STARTER: DemoUser = {
  id: 'u-nurse-eve',
  username: 'eve.nurse',
  password: 'demo-new-nurse',
  displayName: 'Eve Martin, RN',
  email: 'eve.martin@careshell.test',
  roles: ['nurse', 'clinical'],
};

/**
 * A locum physician the provider marks as temporary staff (role `locum`): not enrolled by the demo; they tap the
 * demo's locum badge and enroll with a sponsor (the charge nurse) for a limited time (docs/temporary-access.md).
 */
export const LOCUM: DemoUser = {
  id: 'u-locum-sam',
  username: 'sam.locum',
  password: 'demo-locum',
  displayName: 'Dr Sam Rivera (locum)',
  email: 'sam.rivera@agency.careshell.test',
  roles: ['physician', 'clinical', 'locum'],
};

/** Everyone who can sign in at the local provider. */
export const PROVIDER_USERS: readonly DemoUser[] = [...DEMO_USERS, NEW_STARTER, LOCUM];

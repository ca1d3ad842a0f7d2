import { systemClock } from '../../common/clock.js';
import { DEMO_USERS } from '../local-idp/demo-users.js';
import { startLocalIdp } from '../local-idp/local-idp.js';
import { startDemoEhr } from './demo-ehr.js';

/**
 * The demo EHR on its own with a local identity provider, for trying it by hand:
 * `tsx tools/demo-ehr/main.ts`. EHR_PORT picks the EHR's port (default: a free one).
 * The browser must trust the provider's test CA, or accept its certificate once.
 */
const idp = await startLocalIdp();
const ehr = await startDemoEhr({ idp, clock: systemClock, port: Number(process.env.EHR_PORT ?? 0) });
console.log(`Demo EHR: ${ehr.origin} (sign-in at ${idp.issuer})`);
for (const user of DEMO_USERS) console.log(`  ${user.username} / ${user.password}  roles: ${user.roles.join(', ')}`);
const stop = () => void Promise.all([ehr.close(), idp.stop()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

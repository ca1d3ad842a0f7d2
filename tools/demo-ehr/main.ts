import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock } from '../../common/clock.js';
import { DEMO_USERS } from '../local-idp/demo-users.js';
import { startLocalIdp } from '../local-idp/local-idp.js';
import { startDemoEhr } from './demo-ehr.js';

/**
 * The demo EHR on its own with a local identity provider, for trying it by hand:
 * `tsx tools/demo-ehr/main.ts`. EHR_PORT picks the EHR's port (default: a free one); IDP_CA_FILE says where to
 * write the provider's test CA, which the browser must trust (or accept the provider's certificate once).
 */
const caFile = process.env.IDP_CA_FILE ?? '.tmp/local-idp-ca.pem';
const idp = await startLocalIdp();
mkdirSync(dirname(caFile), { recursive: true });
writeFileSync(caFile, idp.caPem);
const ehr = await startDemoEhr({ idp, clock: systemClock, port: Number(process.env.EHR_PORT ?? 0) });
console.log(`Demo EHR: ${ehr.origin} (sign-in at ${idp.issuer}; its CA certificate is in ${caFile})`);
for (const user of DEMO_USERS) console.log(`  ${user.username} / ${user.password}  roles: ${user.roles.join(', ')}`);
const stop = () => void Promise.all([ehr.close(), idp.stop()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

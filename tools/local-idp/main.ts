import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startLocalIdp } from './local-idp.js';

/**
 * `npm run idp`: the local provider on its own, for trying the sign-in by hand.
 * IDP_PORT picks the port (default 8443); IDP_CA_FILE says where to write the CA certificate to trust.
 */
const port = Number(process.env.IDP_PORT ?? 8443);
const caFile = process.env.IDP_CA_FILE ?? '.tmp/local-idp-ca.pem';
const idp = await startLocalIdp({ port });
mkdirSync(dirname(caFile), { recursive: true });
writeFileSync(caFile, idp.caPem);
console.log(`Local IdP: ${idp.issuer} (client ${idp.clientId}); CA certificate written to ${caFile}`);
for (const user of idp.users) {
  console.log(`  ${user.username} / ${user.password}  roles: ${user.roles.join(', ')}`);
}
const stop = () => void idp.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

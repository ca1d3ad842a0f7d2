import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { groupIdOf, startLocalIdp } from './local-idp.js';

/**
 * `npm run idp`: the local provider on its own, for trying the sign-in by hand.
 * IDP_PORT picks the port (default 8443); IDP_CA_FILE says where to write the CA certificate to trust;
 * IDP_MODE=entra-default makes it answer like a default Entra app registration (see LocalIdpOptions.mode).
 */
const port = Number(process.env.IDP_PORT ?? 8443);
const caFile = process.env.IDP_CA_FILE ?? '.tmp/local-idp-ca.pem';
const mode = process.env.IDP_MODE ?? 'oidc';
if (mode !== 'oidc' && mode !== 'entra-default') {
  console.error(`IDP_MODE must be oidc or entra-default, not "${mode}".`);
  process.exit(2);
}
const idp = await startLocalIdp({ port, mode });
mkdirSync(dirname(caFile), { recursive: true });
writeFileSync(caFile, idp.caPem);
console.log(`Local IdP: ${idp.issuer} (client ${idp.clientId}); CA certificate written to ${caFile}`);
for (const user of idp.users) {
  const groups = mode === 'entra-default' ? `  groups: ${user.roles.map(groupIdOf).join(', ')}` : '';
  console.log(`  ${user.username} / ${user.password}  roles: ${user.roles.join(', ')}${groups}`);
}
const stop = () => void idp.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

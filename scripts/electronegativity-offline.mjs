// Imported into Electronegativity by scripts/check-hardening.mjs (`--import`). At start it downloads updated
// translations of its messages with `got`; offline (CI has no internet) got's retry timer then throws after the
// request has settled, which kills the process on Node 24. The English messages ship in the package, so the
// download is answered at once with "offline" and Electronegativity carries on with them.
import Module from 'node:module';

const load = Module._load;
Module._load = function loadWithoutNetwork(request, parent, isMain) {
  if (request === 'got' && parent?.filename?.includes('electronegativity')) {
    return () => Promise.reject(new Error('offline: translations are not downloaded'));
  }
  return load.call(this, request, parent, isMain);
};

// Imported first (--import) into the Electronegativity run by scripts/check-hardening.mjs. Electronegativity fetches updated
// translations from GitHub on every run (dist/locales/i18n.js) and, when that fails under Node 24, crashes in got's
// retry (p-cancelable: "onCancel handler was attached after the promise settled"). The check needs no network: that
// one fetch is answered with a failure at once, and Electronegativity uses its bundled English texts.
import Module from 'node:module';

const load = Module._load;
Module._load = function loadWithoutTranslationFetch(request, parent, isMain) {
  if (request === 'got' && parent && /electronegativity[\\/]dist[\\/]locales[\\/]/.test(parent.filename)) {
    return () => Promise.reject(new Error('translations are not fetched: check:hardening runs offline'));
  }
  return load.call(this, request, parent, isMain);
};

import { useState } from 'react';
import { messageOf } from '../../common/errors.js';
import type { AuthenticatorSetup, CareShellApi } from '../../preload/contract';
import { CodeForm } from './CodeForm';
import { QrCode } from './QrCode';

/**
 * The new authenticator secret, once, after the clinician's fresh sign-in: scan the QR code (or type the key),
 * then enter the app's first code to make it their step-up factor.
 */
export function AuthenticatorSetupPanel({ setup, api }: { setup: AuthenticatorSetup; api: CareShellApi }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async (code: string) => {
    setBusy(true);
    try {
      const result = await api.identity.confirmAuthenticator({ code });
      if (!result.ok) setError(result.message);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="authenticator-title"
      data-testid="authenticator-setup"
    >
      <section className="overlay-card">
        <h2 id="authenticator-title">Set up your authenticator app</h2>
        <p>Scan this code with your authenticator app, or add the key by hand.</p>
        <QrCode text={setup.uri} label={`Authenticator QR code for ${setup.account}`} />
        <p className="secret">
          {setup.issuer} · {setup.account}
          <br />
          Key: <code data-testid="authenticator-secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
        </p>
        <CodeForm
          id="authenticator-code"
          label="The code the app shows now"
          busy={busy}
          submitLabel="Finish setup"
          testId="authenticator"
          onSubmit={(code) => void confirm(code)}
          onEdit={() => setError(undefined)}
        />
        {error && (
          <p className="pin-error" role="alert">
            {error}
          </p>
        )}
        <button type="button" className="secondary" onClick={() => void api.identity.cancelAuthenticator()}>
          Cancel
        </button>
      </section>
    </div>
  );
}

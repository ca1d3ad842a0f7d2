import { useState } from 'react';
import { messageOf } from '../../common/errors.js';
import type { AuthenticatorSetup, CareShellApi } from '../../preload/contract';
import { useDialogFocus } from '../hooks/use-dialog-focus';
import { useT } from '../i18n/use-t';
import { CodeForm } from './CodeForm';
import { QrCode } from './QrCode';

/**
 * The new authenticator secret, once, after the clinician's fresh sign-in: scan the QR code (or type the key),
 * then enter the app's first code to make it their step-up factor. Escape cancels.
 */
export function AuthenticatorSetupPanel({ setup, api }: { setup: AuthenticatorSetup; api: CareShellApi }) {
  const t = useT();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const cancel = () => void api.identity.cancelAuthenticator();
  const dialog = useDialogFocus<HTMLDivElement>(cancel);
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
      ref={dialog}
    >
      <section className="overlay-card">
        <h2 id="authenticator-title">{t('authenticator.title')}</h2>
        <p>{t('authenticator.scan')}</p>
        <QrCode text={setup.uri} label={t('authenticator.qr', { account: setup.account })} />
        <p className="secret">
          {setup.issuer} · {setup.account}
          <br />
          {t('authenticator.key')}{' '}
          <code data-testid="authenticator-secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
        </p>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <CodeForm
          id="authenticator-code"
          label={t('authenticator.codeLabel')}
          busy={busy}
          submitLabel={t('authenticator.finish')}
          testId="authenticator"
          onSubmit={(code) => void confirm(code)}
          onEdit={() => setError(undefined)}
        />
        <button type="button" className="secondary" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </section>
    </div>
  );
}

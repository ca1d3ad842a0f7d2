import { useState } from 'react';
import { messageOf } from '../../common/errors.js';
import type { AuthenticatorSetup, CareShellApi } from '../../preload/contract';
import { useT } from '../i18n/use-t';
import { CodeForm } from './CodeForm';
import { Dialog } from './Dialog';
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
    <Dialog titleId="authenticator-title" testId="authenticator-setup" onCancel={cancel}>
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
    </Dialog>
  );
}

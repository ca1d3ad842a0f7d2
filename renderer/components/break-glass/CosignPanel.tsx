import { useState, type FormEvent } from 'react';
import type { BreakGlassState, CareShellApi } from '../../../preload/contract';

type Cosign = NonNullable<NonNullable<BreakGlassState['dialog']>['cosign']>;

/**
 * Above the policy's frequency limit: a second clinician at this workstation taps their badge (main reads it while
 * this waits, instead of signing anyone in), then types their PIN. Never the same person (main checks).
 */
export function CosignPanel({ cosign, api }: { cosign: Cosign; api: CareShellApi }) {
  const [pin, setPin] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await api.breakglass.cosignPin({ pin });
    setPin('');
  };
  return (
    <section className="bg-frequency" data-testid="bg-cosign">
      {cosign.verified ? (
        <p data-testid="bg-cosigned">Co-signed by {cosign.cosigner}.</p>
      ) : (
        <>
          <p>
            You have used emergency access often recently: a second clinician must co-sign.{' '}
            {cosign.cosigner ? `${cosign.cosigner}, enter your PIN.` : 'Co-signer: tap your badge on the reader.'}
          </p>
          {cosign.cosigner && (
            <form onSubmit={(e) => void submit(e)}>
              <input
                type="password"
                inputMode="numeric"
                autoComplete="off"
                aria-label="Co-signer PIN"
                value={pin}
                onChange={(e) => setPin(e.target.value)}
                data-testid="bg-cosign-pin"
              />{' '}
              <button type="submit" data-testid="bg-cosign-submit">
                Co-sign
              </button>
            </form>
          )}
        </>
      )}
      {cosign.error && (
        <p className="bg-error" role="alert" data-testid="bg-cosign-error">
          {cosign.error}
        </p>
      )}
    </section>
  );
}

import { useState } from 'react';
import type { CareShellApi } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';
import './just-in-time.css';

/** The header's "Request access": drawn only for roles the policy allows (main decides, state.offered). */
export function RequestAccessButton({ offered, api }: { offered: boolean; api: CareShellApi }) {
  const t = useT();
  const [refusal, setRefusal] = useState<string>();
  if (!offered) return null;
  const open = async () => {
    const answer = await api.jit.open();
    setRefusal(answer.ok ? undefined : answer.message);
  };
  return (
    <button
      type="button"
      className="secondary"
      data-testid="jit-request"
      title={refusal ?? t('jit.requestTitle')}
      onClick={() => void open()}
    >
      {t('jit.request')}
    </button>
  );
}

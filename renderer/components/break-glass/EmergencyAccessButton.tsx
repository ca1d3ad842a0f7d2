import { useState } from 'react';
import type { CareShellApi } from '../../../preload/contract';
import './break-glass.css';

/** The header's "Emergency access": drawn only for roles the policy allows (main decides, state.offered). */
export function EmergencyAccessButton({ offered, api }: { offered: boolean; api: CareShellApi }) {
  const [refusal, setRefusal] = useState<string>();
  if (!offered) return null;
  const open = async () => {
    const answer = await api.breakglass.open();
    setRefusal(answer.ok ? undefined : answer.message);
  };
  return (
    <button
      type="button"
      className="emergency-button"
      data-testid="emergency-access"
      title={refusal ?? 'Open a restricted chart in an emergency (break-glass)'}
      onClick={() => void open()}
    >
      Emergency access
    </button>
  );
}

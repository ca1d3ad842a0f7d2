import { useState, type FormEvent } from 'react';
import type { CareShellApi, SponsorState } from '../../../preload/contract';
import { Dialog } from '../Dialog';
import { useT } from '../../i18n/use-t';
import { formatDay } from '../../i18n/format-day';
import './temporary.css';

type Sponsor = NonNullable<SponsorState>;

const DAY_MS = 86_400_000;
const ANY_TIME = 'any';

/**
 * The sponsor step of a temporary (locum, agency) enrollment, over the lock screen once the newcomer chose a PIN:
 * a sponsor taps their badge (main reads it while this waits), types their PIN, then picks how many days (up to
 * the policy maximum, each shown as its end date) and the shift window. Main checks every choice again.
 */
export function SponsorPanel({ sponsor, api }: { sponsor: Sponsor; api: CareShellApi }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [days, setDays] = useState(sponsor.defaultDays);
  const [shift, setShift] = useState(
    sponsor.requireShift && sponsor.shifts[0] ? `${sponsor.shifts[0].start}-${sponsor.shifts[0].end}` : ANY_TIME,
  );
  const [refusal, setRefusal] = useState<string>();
  const error = sponsor.error ?? refusal;
  const cancel = () => void api.temporary.sponsorCancel();

  const submitPin = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await api.temporary.sponsorPin({ pin });
    setPin('');
    setRefusal(answer.ok ? undefined : answer.message);
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const window = sponsor.shifts.find((s) => `${s.start}-${s.end}` === shift);
    const answer = await api.temporary.sponsorConfirm({ days, shift: window ?? null });
    setRefusal(answer.ok ? undefined : answer.message);
  };
  const endOf = (count: number) => formatDay(t, new Date(Date.parse(sponsor.now) + count * DAY_MS).toISOString());
  const dayChoices = Array.from({ length: sponsor.maxDays }, (_, i) => i + 1);

  return (
    <Dialog titleId="sponsor-title" testId="sponsor-dialog" onCancel={cancel}>
      <h2 id="sponsor-title">{t('temporary.sponsorTitle', { name: sponsor.newcomer })}</h2>
      <p>{t('temporary.sponsorIntro', { name: sponsor.newcomer })}</p>
      {sponsor.step === 'badge' && (
        <p className="sponsor-step" data-testid="sponsor-tap" aria-busy={sponsor.busy}>
          {t('temporary.tapBadge')}
        </p>
      )}
      {sponsor.step === 'pin' && (
        <form className="sponsor-form" onSubmit={(e) => void submitPin(e)}>
          <label htmlFor="sponsor-pin">{t('temporary.enterPin', { name: sponsor.sponsor ?? '' })}</label>
          <input
            id="sponsor-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            data-testid="sponsor-pin"
          />
          <button type="submit" disabled={sponsor.busy || pin.length === 0} data-testid="sponsor-pin-submit">
            {sponsor.busy ? t('common.checking') : t('temporary.confirmPin')}
          </button>
        </form>
      )}
      {sponsor.step === 'terms' && (
        <form className="sponsor-form" onSubmit={(e) => void confirm(e)}>
          <p data-testid="sponsor-terms">{t('temporary.terms', { name: sponsor.sponsor ?? '' })}</p>
          <label htmlFor="sponsor-days">{t('temporary.days')}</label>
          <select
            id="sponsor-days"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            data-testid="sponsor-days"
          >
            {dayChoices.map((count) => (
              <option key={count} value={count}>
                {t('temporary.dayChoice', { count, date: endOf(count) })}
              </option>
            ))}
          </select>
          {sponsor.shifts.length > 0 && (
            <>
              <label htmlFor="sponsor-shift">{t('temporary.shift')}</label>
              <select
                id="sponsor-shift"
                value={shift}
                onChange={(e) => setShift(e.target.value)}
                data-testid="sponsor-shift"
              >
                {!sponsor.requireShift && <option value={ANY_TIME}>{t('temporary.anyTime')}</option>}
                {sponsor.shifts.map((s) => (
                  <option key={`${s.start}-${s.end}`} value={`${s.start}-${s.end}`}>
                    {t('temporary.shiftChoice', { start: s.start, end: s.end })}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit" disabled={sponsor.busy} data-testid="sponsor-confirm">
            {t('temporary.confirm')}
          </button>
        </form>
      )}
      {error && (
        <p className="sponsor-error" role="alert" data-testid="sponsor-error">
          {error}
        </p>
      )}
      <button type="button" className="secondary" onClick={cancel} data-testid="sponsor-cancel">
        {t('temporary.cancel')}
      </button>
    </Dialog>
  );
}

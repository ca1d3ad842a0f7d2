import type { ReaderStatus } from '../../preload/contract';
import { useT } from '../i18n/use-t';

type Reader = ReaderStatus['readers'][number];

/** Something is wrong with a reader, or there is none at all. */
export function readersDown(status: ReaderStatus): boolean {
  return status.readers.length === 0 || status.readers.some((r) => r.state !== 'ready');
}

/** What the reader manager says is wrong (written for IT), each reader one sentence. */
export function readerDetails(status: ReaderStatus): string {
  return status.readers
    .filter((r) => r.state !== 'ready')
    .map((r) => `${r.description}: ${problem(r)}`)
    .join(' ');
}

function problem(reader: Reader): string {
  const text = reader.message ?? (reader.state === 'error' ? 'not working' : 'not connected');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * On the lock screen, a banner only when something is wrong, in the flow of the page (it pushes the screen
 * down, never covers it): first what it means for the clinician, in plain words, then the details for IT.
 */
export function ReaderBanner({ status }: { status: ReaderStatus }) {
  const t = useT();
  if (!readersDown(status)) return null;
  const noneReady = !status.readers.some((r) => r.state === 'ready');
  const details = readerDetails(status);
  return (
    <div className="reader-banner" role="status" data-testid="reader-banner">
      <strong>{noneReady ? t('reader.noneWorking') : t('reader.oneDown')}</strong>{' '}
      {noneReady && <span>{status.fallback ?? t('reader.callIt')}</span>}
      {details && <span className="for-it"> {t('reader.forIt', { details })}</span>}
    </div>
  );
}

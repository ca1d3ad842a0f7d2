import type { ReaderStatus } from '../../preload/contract';

type Reader = ReaderStatus['readers'][number];

/** What the reader manager says is wrong (written for IT), or the state in words; always one sentence. */
function problem(reader: Reader): string {
  const text = reader.message ?? (reader.state === 'error' ? 'not working' : 'not connected');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A banner only when something is wrong: no reader ready means nobody can tap in. */
export function ReaderBanner({ status }: { status: ReaderStatus }) {
  const ready = status.readers.filter((r) => r.state === 'ready');
  const problems = status.readers.filter((r) => r.state !== 'ready');
  if (problems.length === 0 && ready.length > 0) return null;
  return (
    <div className="reader-banner" role="status" data-testid="reader-banner">
      {ready.length === 0 ? (
        <strong>No badge reader is working.</strong>
      ) : (
        <strong>A badge reader needs attention.</strong>
      )}
      {problems.map((r) => (
        <span key={r.id} data-state={r.state}>
          {' '}
          {r.description}: {problem(r)}
        </span>
      ))}
      {ready.length === 0 && status.fallback && <span> {status.fallback}</span>}
    </div>
  );
}

import type { SessionView } from '../../preload/contract';

export function Notice({ notice }: { notice: SessionView['notice'] }) {
  if (!notice) return null;
  return (
    <div
      className={`notice notice-${notice.level}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      {notice.text}
    </div>
  );
}

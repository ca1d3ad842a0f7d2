import type { ReactNode } from 'react';
import { useDialogFocus } from '../hooks/use-dialog-focus';

/** A modal card over the signed-in view that holds focus while open (use-dialog-focus.ts); Escape cancels. */
export function Dialog({
  titleId,
  testId,
  onCancel,
  children,
}: {
  titleId: string;
  testId: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const dialog = useDialogFocus<HTMLDivElement>(onCancel);
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      ref={dialog}
    >
      <section className="overlay-card">{children}</section>
    </div>
  );
}

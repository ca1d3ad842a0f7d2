/**
 * The one interface every badge reader driver implements (docs/design.md#readers). Drivers turn whatever their
 * hardware reports into canonical badge ids, so the rest of the product never sees reader quirks.
 */

/**
 * Card formats a tap can carry. `uid` is a contactless UID; `sim` comes from the simulated reader. A
 * keyboard-wedge read carries the format its policy maps it to, like any other reader.
 */
export type CardFormat = 'H10301' | 'C1000-35' | 'H10304' | 'uid' | 'sim';

export type BadgeReaderEvent =
  /** badgeId is canonical: `format:facility:number` or `uid:<hex>`; raw numbers never leave native/ otherwise. */
  | { kind: 'tap'; readerId: string; badgeId: string; format: CardFormat }
  /**
   * The card that tapped left the field: badgeId is that tap's canonical id. Drivers that can tell emit it;
   * the reader manager passes it on only for readers whose policy sets `presence: true` (walk-away lock).
   */
  | { kind: 'removed'; readerId: string; badgeId: string }
  | { kind: 'attached'; readerId: string; description: string }
  | { kind: 'detached'; readerId: string }
  /**
   * message is written for an IT admin: what happened and what to do. scope 'read': one badge read was
   * refused and the reader works on. scope 'reader': the reader itself failed (its service stopped, the
   * device stopped answering); the driver has closed itself, and the reader manager shows the error as the
   * reader's status and reopens it with backoff.
   */
  | { kind: 'error'; readerId: string; message: string; scope: 'read' | 'reader' };

export type BadgeReaderListener = (event: BadgeReaderEvent) => void;

export interface BadgeReader {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Returns an unsubscribe function. */
  onEvent(listener: BadgeReaderListener): () => void;
}

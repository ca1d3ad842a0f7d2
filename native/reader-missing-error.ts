/**
 * Thrown by a driver's start() when its device is simply not connected. The reader manager shows such a
 * reader as "missing" and waits for hot-plug, instead of treating it as a fault to retry with backoff.
 */
export class ReaderMissingError extends Error {
  override readonly name = 'ReaderMissingError';
}

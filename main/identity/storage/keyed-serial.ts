/**
 * Runs the operations of one key (a user id) one after another, in call order, and those of different keys side by
 * side. A read-modify-write of a user's record then never interleaves with another of the same record: two quick
 * PIN submissions do not both see "0 failures", and an update never writes back a record deleted meanwhile. A
 * failed operation does not stop the next.
 */
export class KeyedSerial {
  private readonly last = new Map<string, Promise<unknown>>();

  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const next = (this.last.get(key) ?? Promise.resolve()).catch(() => undefined).then(operation);
    this.last.set(key, next);
    void next
      .finally(() => {
        if (this.last.get(key) === next) this.last.delete(key);
      })
      .catch(() => undefined);
    return next;
  }
}

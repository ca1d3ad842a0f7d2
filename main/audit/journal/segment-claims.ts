/**
 * How verify threads share out segments without messages: one shared counter hands each thread the next
 * segment nobody has taken, so a thread that starts late (a worker booting) simply takes fewer. Each
 * worker also has a state slot, so the main thread can call off a worker that never got going because the
 * work was already done.
 */
export class SegmentClaims {
  private readonly slots: Int32Array;

  /** `shared` comes from `SegmentClaims.create(workers).shared` when rebuilt in a worker. */
  constructor(readonly shared: SharedArrayBuffer) {
    this.slots = new Int32Array(shared);
  }

  static create(workers: number): SegmentClaims {
    return new SegmentClaims(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + workers)));
  }

  /** The index of the next unclaimed segment (at or past the end when all are taken). */
  next(): number {
    return Atomics.add(this.slots, 0, 1);
  }

  /** Called by worker `worker` when it is ready: false when the main thread has already called it off. */
  join(worker: number): boolean {
    return Atomics.compareExchange(this.slots, 1 + worker, PENDING, JOINED) === PENDING;
  }

  /** Called by the main thread once it runs out of work: true when the worker had not joined (and now never will). */
  callOff(worker: number): boolean {
    return Atomics.compareExchange(this.slots, 1 + worker, PENDING, CALLED_OFF) === PENDING;
  }
}

const PENDING = 0;
const JOINED = 1;
const CALLED_OFF = 2;

/**
 * What every layer does with a caught value: anything can be thrown in JavaScript, so a message is read from
 * it without a cast, and a `switch` over a closed union ends in `assertNever` so a new member fails to compile.
 */

/** The message of anything thrown: an Error's message, otherwise its string form. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Marks the branch a complete `switch` can never reach; a missing case is a type error here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}

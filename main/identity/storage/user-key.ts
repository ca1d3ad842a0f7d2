import { createHash } from 'node:crypto';

/** A storage key segment for an account id: fixed length, safe in file names, and does not reveal the id. */
export function userKey(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}

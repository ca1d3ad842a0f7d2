/**
 * The shape of one keyboard-wedge badge burst: optional prefix, a body of allowed characters, optional
 * suffix (all from policy). The detector asks two questions of the text typed so far: could it still
 * become a burst (keep holding), and is it a complete burst that is a badge (swallow it).
 */
export interface WedgePattern {
  prefix: string;
  suffix: string;
  /** Characters a body may contain. */
  bodyChars: ReadonlySet<string>;
  minBodyLength: number;
  maxBodyLength: number;
  /** Whether a complete body is a badge at all (wedge-burst-classifier.ts); absent: every one is. */
  accept?: (body: string) => boolean;
}

function isBody(pattern: WedgePattern, text: string): boolean {
  if (text.length > pattern.maxBodyLength) return false;
  for (const ch of text) if (!pattern.bodyChars.has(ch)) return false;
  return true;
}

/** True when `text` is the start of some complete burst. */
export function couldBecomeBurst(pattern: WedgePattern, text: string): boolean {
  const { prefix, suffix } = pattern;
  if (text.length <= prefix.length) return prefix.startsWith(text);
  if (!text.startsWith(prefix)) return false;
  const rest = text.slice(prefix.length);
  // The tail may already be the start of the suffix: try every split.
  for (let k = 0; k <= Math.min(suffix.length, rest.length); k++) {
    const body = rest.slice(0, rest.length - k);
    if (
      rest.endsWith(suffix.slice(0, k)) &&
      isBody(pattern, body) &&
      (k === 0 || body.length >= pattern.minBodyLength)
    ) {
      return true;
    }
  }
  return false;
}

/** The body of a complete burst, or undefined when `text` is not one. */
export function completeBurstBody(pattern: WedgePattern, text: string): string | undefined {
  const { prefix, suffix } = pattern;
  if (text.length < prefix.length + suffix.length || !text.startsWith(prefix) || !text.endsWith(suffix))
    return undefined;
  const body = text.slice(prefix.length, text.length - suffix.length);
  const complete = body.length >= pattern.minBodyLength && isBody(pattern, body);
  return complete && (pattern.accept?.(body) ?? true) ? body : undefined;
}

/**
 * Short tones where the sound cues preference is on (preferences.soundCues): a badge was read, the idle warning
 * opened. Generated with Web Audio, so there is no sound file to ship or to allow in the page's CSP.
 */
const TONES = {
  read: { hz: 880, ms: 120 },
  refused: { hz: 330, ms: 250 },
  warning: { hz: 660, ms: 400 },
} as const;

let context: AudioContext | undefined;

export function playTone(kind: keyof typeof TONES): void {
  // No audio device (tests, a kiosk without speakers): the visual cue is the one that counts.
  if (typeof AudioContext === 'undefined') return;
  // One context for the page's life; a replaced AudioContext implementation gets its own (component tests).
  if (!(context instanceof AudioContext)) context = new AudioContext();
  const { hz, ms } = TONES[kind];
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = hz;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  oscillator.stop(context.currentTime + ms / 1000);
}

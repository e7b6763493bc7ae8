/**
 * A small seeded pseudo-random generator (sfc32) so the demo data is the same on every run.
 * Not for secrets: the demo's QR tokens come from here on purpose, to be reproducible.
 */
export type Random = ReturnType<typeof createRandom>;

export function createRandom(seed: number) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162 ^ (seed * 17);
  let d = 1;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up: the first outputs of sfc32 still reflect the seed closely.
  for (let i = 0; i < 20; i++) next();

  const random = {
    next,
    /** Integer in [min, max], both inclusive. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    between: (min: number, max: number) => min + next() * (max - min),
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: <T>(entries: ReadonlyArray<readonly [T, number]>): T => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return entries.at(-1)![0];
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
    bytes: (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256)),
    /** Lower-case letters and digits, e.g. for ids. */
    alphanumeric: (length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789") =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
    hex: (length: number) => Array.from({ length }, () => "0123456789abcdef"[Math.floor(next() * 16)]).join(""),
  };
  return random;
}

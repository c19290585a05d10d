/** Largest edit distance accepted for a name of `length` characters: 1 up to 4 characters, then a third. */
const maxDistance = (length: number) => Math.max(1, Math.floor((length + 1) / 3));

/**
 * Did-you-mean: up to `max` candidates close to `name`, best first. A candidate qualifies when it equals the
 * name ignoring case, is within a length-relative Damerau-Levenshtein distance of it (ignoring case;
 * `Stauts` → Status), or starts with it (at least 2 characters). Ranked by distance (a prefix match counts
 * as 1), then by closeness in length, then alphabetically.
 */
export function suggest(name: string, candidates: readonly string[], max = 3): string[] {
  const needle = name.toLowerCase();
  if (needle.length === 0 || max <= 0) return [];
  const limit = maxDistance(needle.length);
  const scored: { candidate: string; score: number; lengthGap: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const lower = candidate.toLowerCase();
    const lengthGap = Math.abs(lower.length - needle.length);
    const prefix = needle.length >= 2 && lower.startsWith(needle);
    let score = prefix ? 1 : Infinity;
    if (lengthGap <= limit && !(prefix && lengthGap > 0)) score = Math.min(score, distance(needle, lower, limit));
    if (score <= limit || prefix) scored.push({ candidate, score, lengthGap });
  }
  scored.sort((a, b) => a.score - b.score || a.lengthGap - b.lengthGap || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

// Three reusable rows for the optimal-string-alignment distance, grown as needed.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal-string-alignment (restricted Damerau-Levenshtein) distance, or `limit + 1` once it must exceed `limit`. */
function distance(a: string, b: string, limit: number): number {
  const width = b.length + 1;
  if (rows[0]!.length < width) rows = [new Int32Array(width * 2), new Int32Array(width * 2), new Int32Array(width * 2)];
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[width - 1]!;
}


import { RE2JS } from 're2js';

/**
 * The limits of matches(). RE2 (re2js) matches in time linear in the text, but the factor is the size of
 * the compiled pattern, which counted repetitions multiply: `(.{1,1000}){5}`-like patterns of 60 characters
 * took 3.7 s on a 10,000-character text. So the compiled pattern's size is bounded too: at these limits a
 * match takes at most ~40 ms on an idle machine (~0.2 ms per step of the pattern per 10,000 characters).
 */
export const REGEX_LIMITS = {
  /** Characters of a pattern. */
  patternLength: 200,
  /** Steps (RE2 instructions) of the compiled pattern. Everyday patterns take 10 to 100. */
  programSize: 200,
  /** Characters of the text; a longer text never matches. */
  textLength: 10_000,
} as const;

/** Estimates past this refuse a pattern without compiling it, so compiling a hostile pattern stays cheap too. */
const COMPILE_GUARD = 4 * REGEX_LIMITS.programSize;

/** Why a pattern is refused, with the part of the pattern to blame when there is one ([start, end) in the pattern). */
export interface RegexProblem {
  message: string;
  start?: number;
  end?: number;
}

type Pattern = ReturnType<typeof RE2JS.compile>;
const cache = new Map<string, Pattern | RegexProblem>();
const CACHE_LIMIT = 1000;

/**
 * Compiles a user's regular expression with RE2, or says why it cannot be used: too long, too large once
 * compiled, or not RE2 syntax (RE2 has no back-references or look-arounds). Cached, refusals included, so a
 * pattern taken from data costs its compilation once.
 */
export function compileRegex(pattern: string): Pattern | RegexProblem {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const result = compileUncached(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, result);
  return result;
}

export const isProblem = (result: Pattern | RegexProblem): result is RegexProblem => 'message' in result;

/** Whether `text` contains a match of `pattern`; false when either is refused (see REGEX_LIMITS). */
export function regexFind(text: string, pattern: string): boolean {
  if (text.length > REGEX_LIMITS.textLength) return false;
  const regex = compileRegex(pattern);
  return !isProblem(regex) && regex.matcher(text).find();
}

function compileUncached(pattern: string): Pattern | RegexProblem {
  const { patternLength, programSize } = REGEX_LIMITS;
  if (pattern.length > patternLength) {
    return { message: `The pattern is ${pattern.length.toLocaleString('en-US')} characters long; the limit is ${patternLength}.`, start: patternLength, end: pattern.length };
  }
  const estimate = estimateSize(pattern);
  if (estimate.size > COMPILE_GUARD) return tooLarge(pattern, `more than ${COMPILE_GUARD.toLocaleString('en-US')}`, estimate.blame);
  let regex: Pattern;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    return { message: `The pattern cannot be used: ${(error as Error).message.split('\n')[0]}. (Back-references and look-arounds are not supported.)` };
  }
  const size = regex.programSize();
  return size > programSize ? tooLarge(pattern, size.toLocaleString('en-US'), estimate.blame) : regex;
}

function tooLarge(pattern: string, size: string, blame: Blame | undefined): RegexProblem {
  const why = blame ? ` ${pattern.slice(blame.start, blame.end)} at character ${blame.start + 1} of the pattern repeats its part ${blame.count.toLocaleString('en-US')} times; lower the count.` : ' Make it shorter or simpler.';
  return {
    message: `The pattern is too large to match quickly: it compiles to ${size} steps, and the limit is ${REGEX_LIMITS.programSize}.${why}`,
    ...(blame ? { start: blame.start, end: blame.end } : {}),
  };
}

interface Blame {
  start: number;
  end: number;
  count: number;
}

const COUNTED = /^\{(\d+)(?:(,)(\d*))?\}/;
const FLAGS_ONLY = /^\(\?[A-Za-z-]*\)/;
const GROUP_OPENING = /^\((?:\?(?:P?<[^>]*>|[A-Za-z-]*:))?/;

/**
 * About how many RE2 instructions a pattern compiles to, read from its text without compiling it: each
 * character, class or escape is one, a capturing group adds two, `|`, `*`, `+` and `?` one each, and a
 * counted repetition `{n,m}` copies its part (max(n, m) times). `blame` is the counted
 * repetition that adds the most (for the message's position: lowering it helps most).
 */
export function estimateSize(pattern: string): { size: number; blame?: Blame } {
  const frames = [{ total: 0, last: 0, capture: false }];
  let blame: (Blame & { added: number }) | undefined;
  const atom = (size: number) => {
    const frame = frames.at(-1)!;
    frame.total += size;
    frame.last = size;
  };
  for (let i = 0; i < pattern.length; ) {
    const rest = pattern.slice(i);
    const c = pattern[i]!;
    if (c === '\\') {
      const length = escapeLength(pattern, i);
      // \Q…\E quotes its characters: one step each.
      atom(pattern[i + 1] === 'Q' ? Math.max(1, length - 4) : 1);
      i += length;
    } else if (c === '[') {
      i = classEnd(pattern, i);
      atom(1);
    } else if (c === '(') {
      const flags = FLAGS_ONLY.exec(rest);
      const opening = flags ? flags[0] : GROUP_OPENING.exec(rest)![0];
      i += opening.length;
      if (!flags) frames.push({ total: 0, last: 0, capture: !opening.endsWith(':') });
    } else if (c === ')') {
      i += 1;
      const group = frames.length > 1 ? frames.pop()! : { total: 0, capture: false };
      atom(group.total + (group.capture ? 2 : 0));
    } else if (c === '|') {
      i += 1;
      const frame = frames.at(-1)!;
      frame.total += 1;
      frame.last = 0;
    } else if (c === '*' || c === '+' || c === '?') {
      i += rest[1] === '?' ? 2 : 1;
      frames.at(-1)!.total += 1;
    } else {
      const counted = c === '{' ? COUNTED.exec(rest) : null;
      if (!counted) {
        i += 1;
        atom(1);
        continue;
      }
      // x{n,m} is n copies of x and m - n optional ones (one more step each); x{n,} is n copies and a loop.
      const min = Number(counted[1]);
      const max = counted[2] ? (counted[3] ? Number(counted[3]) : min) : min;
      const count = Math.max(min, max);
      const frame = frames.at(-1)!;
      const size = min * frame.last + Math.max(0, max - min) * (frame.last + 1) + (counted[2] && !counted[3] ? 1 : 0);
      const added = size - frame.last;
      frame.total += added;
      frame.last = size;
      if (!blame || added > blame.added) blame = { start: i, end: i + counted[0].length, count, added };
      i += counted[0].length;
    }
  }
  // + the program's own two steps (start and match).
  return { size: frames.reduce((sum, f) => sum + f.total, 0) + 2, blame };
}

/** Length of the escape at `at` (`\d`, `\pL`, `\p{Greek}`, `\x{263a}`, `\Q…\E`). */
function escapeLength(pattern: string, at: number): number {
  const next = pattern[at + 1];
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', at + 2);
    return end < 0 ? pattern.length - at : end + 2 - at;
  }
  if ((next === 'p' || next === 'P' || next === 'x') && pattern[at + 2] === '{') {
    const end = pattern.indexOf('}', at + 3);
    return end < 0 ? pattern.length - at : end + 1 - at;
  }
  return Math.min(2, pattern.length - at);
}

/** Index after the character class opening at `at` (a `]` first in the class is a character; `[:alpha:]` nests). */
function classEnd(pattern: string, at: number): number {
  let i = at + 1;
  if (pattern[i] === '^') i += 1;
  if (pattern[i] === ']') i += 1;
  while (i < pattern.length && pattern[i] !== ']') {
    if (pattern[i] === '\\') i += escapeLength(pattern, i);
    else if (pattern.startsWith('[:', i) && pattern.indexOf(':]', i + 2) >= 0) i = pattern.indexOf(':]', i + 2) + 2;
    else i += 1;
  }
  return Math.min(i + 1, pattern.length);
}

import type { Diagnostic } from '@/lib/expressions/diagnostics';

/**
 * Characters that look like something else, found before parsing: pasted quotes (‘ ’ “ ” ` …), invisible
 * characters (zero-width spaces, bidi controls, odd spaces) and Cyrillic or Greek letters that look Latin.
 * The editor turns Monaco's own Unicode highlighting off because these diagnostics cover the same cases,
 * at the character, in our words, with a fix.
 */

/** Quote-like characters and the straight quote they stand for. Only outside quoted text: inside, 'Dunkin’ Donuts' is text. */
const QUOTES: Record<string, string> = {
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '`': "'", '´': "'", '′': "'", '‹': "'", '›': "'", '＇': "'",
  '“': '"', '”': '"', '„': '"', '‟': '"', '″': '"', '«': '"', '»': '"', '＂': '"',
};

/** Cyrillic and Greek letters that look exactly like a Latin one. jexl reads Cyrillic as a name, so `Stаtus` would be a field that never exists. */
const LOOKALIKES: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  ο: 'o', α: 'a', ν: 'v', ι: 'i', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

/** Characters with no width: outside text the lexer cannot read them; inside, text that contains one never equals the typed value. */
const ZERO_WIDTH = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFFA0]/;
/** Spaces other than space, tab and line breaks (no-break space, thin space, …): jexl skips them, but in text they differ from ' '. */
const ODD_SPACE = /[^\S \t\n\r]/;

export interface CharacterScan {
  diagnostics: Diagnostic[];
  /** The source with quotes and look-alikes replaced and zero-width characters outside text removed: what is parsed. */
  text: string;
  /** Source offset of each offset of `text` (one more entry than `text` has characters, for the end). */
  sourceOffsets: number[];
}

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const name = (ch: string) => (ZERO_WIDTH.test(ch) ? 'an invisible character' : 'a space that is not a plain space');

/** Scans `source` once, tracking straight-quoted text, and reports each suspicious character at its place. */
export function scanCharacters(source: string): CharacterScan {
  const diagnostics: Diagnostic[] = [];
  const quotes: number[] = [];
  let text = '';
  const sourceOffsets: number[] = [];
  let open: string | null = null;
  const report = (at: number, severity: Diagnostic['severity'], code: Diagnostic['code'], message: string, fixTitle: string, replacement: string) =>
    diagnostics.push({ start: at, end: at + 1, severity, code, message, fixes: [{ title: fixTitle, edits: [{ start: at, end: at + 1, text: replacement }] }] });
  const keep = (ch: string, at: number) => {
    text += ch;
    sourceOffsets.push(at);
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (open) {
      if (ZERO_WIDTH.test(ch) || ODD_SPACE.test(ch)) {
        const replacement = ZERO_WIDTH.test(ch) ? '' : ' ';
        const message = `This text contains ${name(ch)} (${hex(ch)}), usually pasted: it looks the same, but a value typed without it never matches.`;
        report(i, 'warning', 'INVISIBLE_CHARACTER', message, replacement ? 'Replace with a plain space' : 'Remove the invisible character', replacement);
      }
      keep(ch, i);
      if (ch === '\\' && i + 1 < source.length) keep(source[++i]!, i);
      else if (ch === open) open = null;
    } else if (ch === "'" || ch === '"') {
      open = ch;
      keep(ch, i);
    } else if (QUOTES[ch]) {
      quotes.push(i);
      keep(QUOTES[ch], i);
    } else if (ZERO_WIDTH.test(ch)) {
      const message = `An invisible character (${hex(ch)}), usually pasted, stands here; the condition cannot be read with it. Remove it.`;
      report(i, 'error', 'INVISIBLE_CHARACTER', message, 'Remove the invisible character', '');
    } else if (ODD_SPACE.test(ch)) {
      const message = `This is ${name(ch)} (${hex(ch)}); here it works as a space, but it is easily copied into text where it does not.`;
      report(i, 'info', 'INVISIBLE_CHARACTER', message, 'Replace with a plain space', ' ');
      keep(' ', i);
    } else if (LOOKALIKES[ch]) {
      const latin = LOOKALIKES[ch];
      const message = `“${ch}” (${hex(ch)}) is not the Latin letter “${latin}” it looks like; names are written in Latin letters.`;
      report(i, 'error', 'LOOKALIKE_LETTER', message, `Replace with the Latin letter ${latin}`, latin);
      keep(latin, i);
    } else keep(ch, i);
  }
  sourceOffsets.push(source.length);
  if (quotes.length) {
    diagnostics.unshift({
      start: quotes[0]!,
      end: quotes[0]! + 1,
      severity: 'error',
      code: 'TYPOGRAPHIC_QUOTES',
      message: `Typographic quotes (‘ ’ “ ” and look-alikes such as \`), usually pasted from a document, are not quotes in conditions. Use straight quotes ' or ".`,
      fixes: [{ title: 'Replace typographic quotes with straight quotes', edits: quotes.map((at) => ({ start: at, end: at + 1, text: QUOTES[source[at]!]! })) }],
    });
  }
  return { diagnostics, text, sourceOffsets };
}

/** Maps a diagnostic found in the scanned text back to the source: positions and fix edits. */
export function toSourcePositions(diagnostic: Diagnostic, sourceOffsets: number[]): Diagnostic {
  const start = (at: number) => sourceOffsets[at]!;
  // An end is one past the last character: map that character, so removed characters after it stay out.
  const end = (at: number, from: number) => (at <= from ? start(at) : sourceOffsets[at - 1]! + 1);
  return {
    ...diagnostic,
    start: start(diagnostic.start),
    end: end(diagnostic.end, diagnostic.start),
    fixes: diagnostic.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, start: start(e.start), end: end(e.end, e.start) })) })),
  };
}

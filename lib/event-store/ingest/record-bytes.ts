import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The bytes of one record as they arrive, up to `maxBytes`. Past that it keeps only the count and drops
 * what it held, so a record of any size costs at most `maxBytes` of memory while the reader skips it.
 */
export class RecordBytes {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends `chunk[from, to)`. */
  add(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.size += to - from;
    if (this.size > this.maxBytes) this.parts = [];
    else this.parts.push(chunk.subarray(from, to));
  }

  get empty(): boolean {
    return this.size === 0;
  }

  get oversize(): boolean {
    return this.size > this.maxBytes;
  }

  /** The record's text (null when it went past the limit), and a fresh start for the next record. */
  take(): string | null {
    const text = this.oversize ? null : Buffer.concat(this.parts).toString('utf8');
    this.parts = [];
    this.size = 0;
    return text;
  }
}

/** Input as a stream gives it (or, in tests, a list of chunks). */
export type ByteSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** Largest slice of input scanned without giving the event loop a turn (a few ms, even before the JIT has warmed up). */
const SLICE_BYTES = 256 * 1024;

/**
 * The input in slices of at most 256 KiB, with a turn of the event loop between slices. A body that is
 * already in memory (or arrives faster than it is scanned) otherwise goes through stream callbacks and
 * promise jobs only, and timers, health checks and other requests would wait for the whole body.
 */
export async function* slices(input: ByteSource): AsyncGenerator<Buffer> {
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    for (let from = 0; from < chunk.length; from += SLICE_BYTES) {
      yield chunk.subarray(from, from + SLICE_BYTES);
      await nextTurn();
    }
  }
}

/**
 * The next position of one byte value in a chunk, from a given index on, found with Buffer.indexOf
 * (native, ~30x a JavaScript loop over the bytes) and remembered until the reader passes it.
 */
export class NextByte {
  private at = -2;

  constructor(
    private readonly chunk: Buffer,
    private readonly byte: number,
  ) {}

  /** The position of the byte at or after `from`, or Infinity when there is none in the chunk. */
  from(from: number): number {
    if (this.at !== -1 && this.at < from) this.at = this.chunk.indexOf(this.byte, from);
    return this.at === -1 ? Infinity : this.at;
  }
}

import type { ParsedSample } from '@/lib/meters/parse-sample';

/** A File upload source's file as read in this page: the rows, and the column each (renamed) field reads. */
export interface FileSample {
  file: File;
  parsed: ParsedSample;
  /** Field name → the file's column; names only ever gain entries, so undoing a rename still finds its column. */
  columns: Map<string, string>;
}

/**
 * The files chosen in this page, by node id: the side panel mounts a node's panel only while it is
 * selected, and the rows must outlive that (they are never saved with the meter).
 */
export const fileSamples = new Map<string, FileSample>();

const MINUTE = 60_000;

/**
 * The replay frame for the Run dialog: the deleted events' span [from, to), widened to whole minutes (the
 * dialog shows and edits minutes). Widening is safe: a replay rewrites the events of its frame by their
 * ids, so the few more it reads change nothing that was not already there.
 */
export function replayFrame(frame: { from: string; to: string }): { from: string; to: string } {
  const from = Math.floor(Date.parse(frame.from) / MINUTE) * MINUTE;
  const to = Math.max(from + MINUTE, Math.ceil(Date.parse(frame.to) / MINUTE) * MINUTE);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The row that serves as a definition's event-id or event-time field: the one the user chose, while its
 * type still fits; otherwise, when exactly one row fits, that one, since there is nothing to choose between.
 * Several fitting rows and no fitting choice: none, and the form asks.
 */
export function chosenRow<R extends { key: number }>(rows: R[], chosenKey: number | undefined, fits: (row: R) => boolean): R | undefined {
  const chosen = rows.find((r) => r.key === chosenKey && fits(r));
  if (chosen) return chosen;
  const fitting = rows.filter(fits);
  return fitting.length === 1 ? fitting[0] : undefined;
}

/**
 * PostgreSQL WAL positions (LSNs). The replication library writes them two ways (`0/1541FD0` and
 * `00000000/01541FD0`); as numbers they compare correctly, as strings they do not.
 */

/** The LSN `X/Y` as a number (X × 2³² + Y). */
export function lsnToBigInt(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!match) throw new Error(`not an LSN: ${JSON.stringify(lsn)}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/** The number as an LSN in PostgreSQL's own spelling (`0/1541FD0`). */
export function bigIntToLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The same LSN in PostgreSQL's spelling, whichever way it was written. */
export const normalLsn = (lsn: string): string => bigIntToLsn(lsnToBigInt(lsn));

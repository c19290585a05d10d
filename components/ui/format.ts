const numberFormat = new Intl.NumberFormat('en-US');
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

export const formatCount = (n: number) => numberFormat.format(n);
export const formatDateTime = (d: Date | null, withSeconds = false) =>
  d ? (withSeconds ? `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC` : dateTimeFormat.format(d)) : '—';

import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF policy for webhook URLs. A user-typed URL makes the server send requests, so:
 * - always: http or https only, no user name or password in it, no fragment, at most 2,000 characters, and
 *   never link-local or unspecified addresses (169.254.0.0/16 holds cloud metadata services; fe80::/10; 0.0.0.0; ::);
 * - with WEBHOOK_BLOCK_PRIVATE=1 (set it where the console runs beside other services): also no loopback,
 *   private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) addresses. Off by default, because the demo and
 *   the tests deliver to receivers on 127.0.0.1.
 * The host is checked when the URL is saved (literal addresses) and again before every attempt, on the
 * addresses it resolves to then (so a name pointing at a blocked address is refused at send time too).
 */
const ALWAYS_BLOCKED = new BlockList();
ALWAYS_BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS_BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS_BLOCKED.addSubnet('fe80::', 10, 'ipv6');
ALWAYS_BLOCKED.addAddress('::', 'ipv6');

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

export function blockPrivateFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WEBHOOK_BLOCK_PRIVATE === '1' || env.WEBHOOK_BLOCK_PRIVATE === 'true';
}

/** Why `address` (an IP literal) may not receive webhooks, or null when it may. */
export function addressRefusal(address: string, blockPrivate: boolean): string | null {
  const family = isIP(address);
  if (!family) return null;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const mapped = type === 'ipv6' && address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : null;
  if (mapped && isIP(mapped) === 4) return addressRefusal(mapped, blockPrivate);
  if (ALWAYS_BLOCKED.check(address, type)) return `${address} is a link-local or unspecified address, which webhooks may never reach (cloud metadata lives there).`;
  if (blockPrivate && PRIVATE.check(address, type)) return `${address} is a loopback or private address, which this console is set not to call (WEBHOOK_BLOCK_PRIVATE).`;
  return null;
}

/** Why a webhook URL is refused, in words the form shows, or null when it is acceptable. Checks no DNS. */
export function webhookUrlRefusal(raw: string, blockPrivate: boolean = blockPrivateFromEnv()): string | null {
  const text = raw.trim();
  if (!text) return 'Enter the URL events are sent to, e.g. https://example.com/webhooks.';
  if (text.length > 2000) return 'The URL is longer than 2,000 characters.';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'This is not a URL: write it whole, starting with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `Only http and https URLs can receive webhooks, not ${url.protocol.replace(':', '')}.`;
  if (url.username || url.password) return 'Take the user name and password out of the URL: receivers check the signature instead.';
  if (url.hash) return 'Take the #fragment out of the URL: it is never sent to the server.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return addressRefusal(host, blockPrivate);
}

/**
 * Before an attempt: the URL's host resolved, every address checked against the policy. Throws with the
 * reason when one is refused (the attempt is logged failed with it).
 */
export async function assertDeliverable(rawUrl: string, blockPrivate: boolean = blockPrivateFromEnv()): Promise<void> {
  const refusal = webhookUrlRefusal(rawUrl, blockPrivate);
  if (refusal) throw new Error(refusal);
  const host = new URL(rawUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  const addresses = await lookup(host, { all: true });
  for (const { address } of addresses) {
    const why = addressRefusal(address, blockPrivate);
    if (why) throw new Error(`${host} resolves to ${why}`);
  }
}

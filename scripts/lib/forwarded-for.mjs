// The caller's network address as the production server (scripts/serve.mjs) hands it to the app in
// X-Forwarded-For. Plain JavaScript so the server runs on node without a TypeScript loader.

/** Longest address kept: an IPv6 address with a zone fits; anything longer is not an address. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * Decides who is calling. With no trusted proxy in front (`hops` 0, the default) that is the socket's
 * peer, whatever X-Forwarded-For the client sent. Behind `hops` proxies that each append the address
 * they saw, it is the entry `hops` places from the right of the chain (client values further left are
 * ignored, so a client cannot choose the address that sign-in throttling counts against).
 * @param {string | undefined} socketAddress
 * @param {string | string[] | undefined} forwardedFor
 * @param {number} hops
 * @returns {string}
 */
export function trustedClientAddress(socketAddress, forwardedFor, hops) {
  const socket = normalize(socketAddress ?? '') || 'unknown';
  if (!Number.isInteger(hops) || hops <= 0) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = [...header.split(',').map(normalize).filter(Boolean), socket];
  return chain[Math.max(0, chain.length - 1 - hops)];
}

/** @param {string} address */
function normalize(address) {
  return address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').slice(0, MAX_ADDRESS_LENGTH);
}

/**
 * Wraps a node request handler so that X-Forwarded-For always holds the one trusted address.
 * @template {import('node:http').IncomingMessage} Req
 * @template {import('node:http').ServerResponse} Res
 * @param {(req: Req, res: Res) => unknown} handler
 * @param {number} hops
 * @returns {(req: Req, res: Res) => unknown}
 */
export function withTrustedClientAddress(handler, hops) {
  return (req, res) => {
    req.headers['x-forwarded-for'] = trustedClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], hops);
    return handler(req, res);
  };
}

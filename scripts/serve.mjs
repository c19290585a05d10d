// The production server (`npm start` and the end-to-end tests run it): Next's request handler behind a
// plain node http server that sets X-Forwarded-For itself (see lib/forwarded-for.mjs), because `next
// start` keeps whatever X-Forwarded-For a client sends and the app cannot see the socket.
// Usage: node scripts/serve.mjs [-p PORT] [-H HOST]; TRUSTED_PROXY_HOPS=N behind N appending proxies.
import http from 'node:http';
import { exitWithParent } from './lib/exit-with-parent.mjs';
import { withTrustedClientAddress } from './lib/forwarded-for.mjs';

const args = process.argv.slice(2);
const option = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(option('-p') ?? process.env.PORT ?? 3000);
const hostname = option('-H');
const hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);

process.env.NODE_ENV = 'production';
const { default: next } = await import('next');
const app = next({ dev: false, hostname: hostname ?? 'localhost', port });
await app.prepare();
const server = http.createServer(withTrustedClientAddress(app.getRequestHandler(), hops));
server.listen(port, hostname, () => {
  console.log(`✓ Ready on http://${hostname ?? 'localhost'}:${port}${hops ? ` (trusting ${hops} proxy hop${hops === 1 ? '' : 's'} in X-Forwarded-For)` : ''}`);
});
// Finish requests in flight (up to 5 s), then exit.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
exitWithParent(stop);

// The specs' accounts, made by the same `addUser` as `npm run user:add`, in one long-lived process: starting
// a process per account cost about 2 s each (tsx, Prisma, the migration check), a few minutes per suite.
// Started by e2e/global-setup.ts (run with tsx, not by Playwright: it loads the app's modules), it listens on
// 127.0.0.1 at a free port, prints "ready <url>", and answers POST {email, password, workspaces} with the
// user, or 400 and the reason. It exits when its parent (the Playwright runner) goes.
import { createServer } from 'node:http';
import { addUser, type AddUserInput } from '@/lib/auth/add-user';
import { getPrisma } from '@/lib/db/prisma';
import { exitWithParent } from '../scripts/lib/exit-with-parent.mjs';

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    void (async () => {
      try {
        const user = await addUser(getPrisma(), JSON.parse(body) as AddUserInput);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(user));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
      }
    })();
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`ready http://127.0.0.1:${address.port}`);
});
exitWithParent(() => process.exit(0));

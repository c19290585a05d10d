// `npm run user:add -- --email ana@example.com --workspace demo:editor [--workspace other:viewer] [--password …] [--name …] [--json]`
// Adds a user (sign-up is closed) and prints the password, generated when none was given.
import { parseArgs } from 'node:util';
import { addUser } from '@/lib/auth/add-user';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { exitWithError, resolveDatabase } from './lib/database';

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      workspace: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const embedded = await resolveDatabase({ persistent: true });
  await prepareDatabase(process.env.DATABASE_URL!);
  const user = await addUser(getPrisma(), {
    email: values.email ?? '',
    name: values.name,
    password: values.password,
    workspaces: values.workspace ?? [],
  });
  if (values.json) console.log(JSON.stringify(user));
  else console.log(`Added ${user.email} (${user.workspaces.map((w) => `${w.slug}:${w.role}`).join(', ')}). Password: ${user.password}`);
  await disconnectPrisma();
  await embedded?.stop();
}

main().catch(exitWithError);

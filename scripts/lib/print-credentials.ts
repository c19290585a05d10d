/** Prints the demo account once, framed so it stands out in the start-up log. */
export function printCredentials(user: { email: string; password: string }, url: string): void {
  const lines = [
    'Demo account created. Sign in at ' + url,
    `  email:    ${user.email}`,
    `  password: ${user.password}`,
    'This password is shown only now. Lost it? npm run seed -- --reset-demo-password',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  console.log(`\n+${'-'.repeat(width + 2)}+\n${lines.map((l) => `| ${l.padEnd(width)} |`).join('\n')}\n+${'-'.repeat(width + 2)}+\n`);
}

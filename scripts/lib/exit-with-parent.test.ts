import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const helper = path.join(import.meta.dirname, 'exit-with-parent.mjs');

// The parent starts a child that runs forever (an interval) unless exitWithParent stops it, prints the
// child's pid, and waits. The test then kills the parent with SIGKILL, as a careless `kill -9` would.
const parentSource = `
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(
    `import { exitWithParent } from ${JSON.stringify(helper)}; setInterval(() => {}, 1000); exitWithParent(() => process.exit(0));`,
  )}], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  console.log(child.pid);
  setInterval(() => {}, 1000);
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('exitWithParent', () => {
  it('a child exits when its parent is killed with -9', async () => {
    const parent = spawn(process.execPath, ['-e', parentSource], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const survived = alive(childPid);
    if (survived) process.kill(childPid, 'SIGKILL');
    expect(survived).toBe(false);
  });

  it('a child whose parent died while it was still starting exits as soon as it checks', async () => {
    // The parent exits at once; the child loads exitWithParent only after a delay, when the channel has closed
    // and its 'disconnect' event is long gone (as when a loaded machine starts the child slowly).
    const lateChild = `setTimeout(async () => { const { exitWithParent } = await import(${JSON.stringify(helper)}); exitWithParent(() => process.exit(0)); }, 1000); setInterval(() => {}, 1000);`;
    const shortParent = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify('PLACEHOLDER')}], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      console.log(child.pid);
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100);
    `.replace(JSON.stringify('PLACEHOLDER'), JSON.stringify(lateChild));
    const parent = spawn(process.execPath, ['-e', shortParent], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    await new Promise((resolve) => parent.once('exit', resolve));
    expect(alive(childPid)).toBe(true);
    const deadline = Date.now() + 10_000;
    while (alive(childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const survived = alive(childPid);
    if (survived) process.kill(childPid, 'SIGKILL');
    expect(survived).toBe(false);
  });
});

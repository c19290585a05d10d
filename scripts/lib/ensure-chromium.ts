import { spawnSync } from 'node:child_process';
import { findChromium } from '../../e2e/find-chromium';

/**
 * Returns a Chromium for the end-to-end tests, installing one where it can: Debian's package when running
 * as root with apt-get, else Playwright's own installer where the network allows it. Never lets the suite
 * skip end-to-end tests silently: without a browser it stops with one instruction.
 */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROMIUM_PATH) fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; point it at a Chromium binary.`);

  const isRoot = process.getuid?.() === 0;
  if (isRoot && commandExists('apt-get')) {
    console.log('No Chromium found: installing Debian\'s chromium package (apt-get)…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium']);
  } else {
    console.log('No Chromium found: trying Playwright\'s installer…');
    run(process.execPath, [require.resolve('@playwright/test/cli'), 'install', 'chromium']);
    if (spawnSync(process.execPath, ['-e', "require('@playwright/test').chromium.executablePath()"]).status === 0) {
      const bundled = spawnSync(process.execPath, ['-e', "process.stdout.write(require('@playwright/test').chromium.executablePath())"], { encoding: 'utf8' }).stdout;
      if (bundled) process.env.CHROMIUM_PATH = bundled;
    }
  }
  const installed = findChromium();
  if (!installed) fail('No Chromium for the end-to-end tests: run "sudo apt-get install chromium", or set CHROMIUM_PATH to a Chromium binary.');
  return installed;
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function run(command: string, args: string[]): void {
  spawnSync(command, args, { stdio: 'inherit' });
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

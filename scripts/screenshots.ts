// `npm run screenshots -- --email E --password P [--url http://localhost:3000]`: signs in to a running console
// and saves the main pages at 1440×900 (light) to docs/screenshots/, for the README. Uses the machine's Chromium.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium';

const PAGES: { file: string; open: (page: Page) => Promise<void> }[] = [
  { file: 'home.png', open: (page) => go(page, '/') },
  { file: 'event-stores.png', open: (page) => go(page, '/event-stores') },
  {
    file: 'event-store.png',
    open: async (page) => {
      await go(page, '/event-stores');
      await page.getByRole('table').getByRole('link').first().click();
      await page.getByRole('img', { name: /^Events per / }).waitFor();
    },
  },
  { file: 'event-definitions.png', open: (page) => go(page, '/event-definitions') },
  { file: 'trigger-editor.png', open: (page) => go(page, '/custom-events/triggers/new') },
  { file: 'api-keys.png', open: (page) => go(page, '/settings/api-keys') },
  { file: 'audit-log.png', open: (page) => go(page, '/settings/audit') },
];

async function go(page: Page, url: string) {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
}

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://localhost:3000' }, email: { type: 'string' }, password: { type: 'string' } } });
  if (!values.email || !values.password) throw new Error('Pass --email and --password of a console user (npm start prints the demo account).');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found; install Debian’s chromium or set CHROMIUM_PATH.');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', baseURL: values.url });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(values.email);
  await page.getByLabel('Password').fill(values.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  const folder = path.join(process.cwd(), 'docs', 'screenshots');
  mkdirSync(folder, { recursive: true });
  for (const shot of PAGES) {
    await shot.open(page);
    await page.screenshot({ path: path.join(folder, shot.file) });
    console.log(`docs/screenshots/${shot.file}`);
  }
  await browser.close();
}

main().catch((error) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

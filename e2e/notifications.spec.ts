import type { Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { startReceiver } from '@/lib/testing/webhook-receiver';
import { addUser, expect, expectAccessible, queryDatabase, setCondition, signIn, test, uniqueSlug } from './fixtures';

// The acceptance: a trigger made in the form, a webhook endpoint added in the UI pointing at a receiver
// this test starts, changes posted with an API key; the receiver verifies the signature. Each test has a
// workspace of its own.

// Each test walks several pages (trigger form with its editor, endpoint form, API key) before it waits on deliveries.
test.describe.configure({ timeout: 120_000 });

const CONDITION = "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000";
const AT = '2026-11-30T10:00:00Z';
const invoice = (recordId: string, amount: number) => ({
  object: 'Invoice',
  recordId,
  changeType: 'UPDATE',
  current: { Status: 'Posted', Amount: amount },
  previous: { Status: 'Draft', Amount: amount },
  time: AT,
});

async function createTrigger(page: Page, eventType: string) {
  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
  await page.getByLabel('Base object').selectOption('Invoice');
  await page.getByLabel('Event type', { exact: true }).fill(eventType);
  await setCondition(page, CONDITION);
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await expect(page).toHaveURL(/\/custom-events$/);
}

/** Adds a webhook endpoint through the Notifications page; answers its signing secret, shown once. */
async function addWebhook(page: Page, eventType: string, url: string): Promise<string> {
  await page.goto('/custom-events');
  await page.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await page.getByRole('link', { name: 'Add webhook endpoint' }).first().click();
  await page.getByLabel('Event type').selectOption(eventType);
  await page.getByLabel('URL').fill(url);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = await page.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  return secret;
}

async function createApiKey(page: Page): Promise<string> {
  await page.goto('/settings/api-keys');
  await page.getByLabel('Name').fill(uniqueSlug('Changes'));
  await page.getByRole('checkbox', { name: /object-changes:write/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  return page.getByLabel('New API key').inputValue();
}

test('a posted invoice over 1000 becomes a business event that a webhook receiver gets, signed; one of 900 makes nothing', async ({ page, request }) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, await addUser(`${uniqueSlug('e2e-notify')}:owner`));
    const eventType = `InvoicePosted_${uniqueSlug('n').slice(2).replace(/-/g, '')}`;
    await createTrigger(page, eventType);
    const secret = await addWebhook(page, eventType, receiver.url);
    await page.getByRole('link', { name: `Open the endpoint for ${eventType}` }).click();
    await expect(page.getByLabel('Signing secret (masked)')).toHaveText(`whsec_••••••••${secret.slice(-4)}`);
    const key = await createApiKey(page);

    const posted = await request.post('/api/v1/object-changes', { headers: { authorization: `Bearer ${key}` }, data: [invoice('INV-1500', 1500)] });
    expect(posted.status()).toBe(200);
    expect(await posted.json()).toMatchObject({ accepted: 1, processed: { businessEvents: 1 } });

    await page.goto('/custom-events/business-events');
    await page.getByRole('table', { name: 'Business events, newest first' }).getByRole('link', { name: eventType }).click();
    await expect(page.getByRole('heading', { level: 1, name: `${eventType}: Invoice INV-1500` })).toBeVisible();
    await expect(page.getByLabel('Current values')).toContainText('"Amount": 1500');
    await expect(page.getByLabel('Current values')).toContainText('"Status": "Posted"');
    await expect(page.getByLabel('Previous values')).toContainText('"Status": "Draft"');

    await expect.poll(() => receiver.received.length).toBe(1);
    const [got] = receiver.received;
    const payload = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: eventType, data: { recordId: 'INV-1500', current: { Amount: 1500, Status: 'Posted' }, previous: { Status: 'Draft' } } });
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('list', { name: 'Deliveries' })).toContainText('Succeeded after 1 attempt');
    }).toPass();

    const small = await request.post('/api/v1/object-changes', { headers: { authorization: `Bearer ${key}` }, data: [invoice('INV-900', 900)] });
    expect(await small.json()).toMatchObject({ accepted: 1, processed: { businessEvents: 0 } });
    await page.goto('/custom-events/business-events?recordId=INV-900');
    await expect(page.getByText('No business events match these filters.')).toBeVisible();
    expect(receiver.received).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});

test('an endpoint that fails twice then succeeds gets the event once more, with three attempts in its delivery log, and Resend adds one', async ({ page, request }) => {
  const receiver = await startReceiver([{ status: 500 }, { status: 500, body: 'still down' }, { status: 200, body: 'ok now' }]);
  try {
    await signIn(page, await addUser(`${uniqueSlug('e2e-notify')}:owner`));
    const eventType = `InvoicePosted_${uniqueSlug('n').slice(2).replace(/-/g, '')}`;
    await createTrigger(page, eventType);
    await addWebhook(page, eventType, receiver.url);
    await page.getByRole('link', { name: `Open the endpoint for ${eventType}` }).click();
    await expect(page).toHaveURL(/\/custom-events\/notifications\/[0-9a-f-]{36}$/);
    const endpointPage = page.url();
    const key = await createApiKey(page);
    await request.post('/api/v1/object-changes', { headers: { authorization: `Bearer ${key}` }, data: [invoice('INV-R', 2000)] });

    await page.goto(endpointPage);
    const log = page.getByRole('list', { name: 'Deliveries' });
    await expect(async () => {
      await page.reload();
      await expect(log).toContainText('Succeeded after 3 attempts', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    const attempts = log.getByRole('table', { name: /Attempts of the delivery/ }).getByRole('row');
    await expect(attempts).toHaveCount(4);
    await expect(attempts.nth(1)).toContainText('500');
    await expect(attempts.nth(2)).toContainText('still down');
    await expect(attempts.nth(3)).toContainText('200');
    await expect(attempts.nth(3)).toContainText('ok now');
    expect(receiver.received).toHaveLength(3);
    await expectAccessible(page);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);

    await page.getByRole('button', { name: /^Resend the delivery of/ }).click();
    await expect(page.getByText(/Resend queued/).first()).toBeVisible();
    await expect.poll(() => receiver.received.length).toBe(4);
    await expect(async () => {
      await page.reload();
      await expect(attempts).toHaveCount(5, { timeout: 1_000 });
    }).toPass();
    await expect(attempts.nth(4)).toContainText(/resent by/);
  } finally {
    await receiver.close();
  }
});

test('an email subscription mails each business event of its type to the local catcher, whose message the console shows', async ({ page, request }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-notify')}:owner`));
  const eventType = `InvoicePosted_${uniqueSlug('m').slice(2).replace(/-/g, '')}`;
  await createTrigger(page, eventType);

  await page.goto('/custom-events/notifications');
  await page.getByRole('link', { name: 'Add email subscription' }).first().click();
  await expect(page.getByRole('heading', { name: 'Add an email subscription' })).toBeVisible();
  await page.getByLabel('Event type').selectOption(eventType);
  // A bad address is refused on the server, named, and the form keeps what was typed.
  const recipients = page.getByRole('textbox', { name: 'Recipients' });
  await recipients.fill('billing@example.com, not-an-address');
  await page.getByRole('button', { name: 'Add subscription' }).click();
  await expect(recipients).toHaveAccessibleDescription(/not-an-address/);
  await expect(recipients).toHaveValue('billing@example.com, not-an-address');
  await recipients.fill('billing@example.com, ops@example.com');
  await page.getByRole('button', { name: 'Add subscription' }).click();
  await expect(page.getByRole('link', { name: `Open the subscription for ${eventType}` })).toBeVisible();

  const key = await createApiKey(page);
  const posted = await request.post('/api/v1/object-changes', { headers: { authorization: `Bearer ${key}` }, data: [invoice('INV-MAIL', 4200)] });
  expect(await posted.json()).toMatchObject({ accepted: 1, processed: { businessEvents: 1 } });

  const subject = `[${eventType}] Invoice INV-MAIL (UPDATE)`;
  await page.goto('/custom-events/notifications/mail');
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('link', { name: subject })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: subject }) });
  await expect(row).toContainText('billing@example.com, ops@example.com');
  await expectAccessible(page);

  await row.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const body = page.getByRole('region', { name: 'Message' }).locator('pre');
  await expect(body).toContainText('Amount');
  await expect(body).toContainText('4200');
  await expect(body).toContainText('Status');
  await expect(body).toContainText('Draft');
  // Exactly one mail for the one event, however often the worker looked.
  expect(await queryDatabase<{ n: string }>(`SELECT count(*)::text AS n FROM caught_emails WHERE subject = $1`, [subject])).toEqual([{ n: '1' }]);
});

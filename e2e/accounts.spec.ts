import { addUser, expect, queryDatabase, signIn, switchWorkspace, test, uniqueSlug, workspaceButton } from './fixtures';

test('signing in: the console sends a visitor to sign-in, refuses a wrong password, and lets the right one in', async ({ page }) => {
  const user = await addUser('demo:editor');
  await page.goto('/event-stores');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fevent-stores$/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The email or password is not right. Check both and try again.');
  await expect(page.getByLabel('Email')).toHaveValue(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back on the page that was asked for.
  await expect(page.getByRole('heading', { level: 1, name: 'Event Stores' })).toBeVisible();
  await expect(page.getByText('editor', { exact: true })).toBeVisible();
});

test('switching workspace shows only that workspace’s data', async ({ page }) => {
  const other = uniqueSlug('e2e-ws');
  const user = await addUser('demo:owner', `${other}:viewer`);
  await signIn(page, user);
  await page.goto('/event-stores');
  await expect(page.getByRole('rowheader', { name: /^api-calls/ })).toBeVisible();

  await switchWorkspace(page, other);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to the Usage Console' })).toBeVisible();
  await expect(workspaceButton(page)).toHaveText(other);
  await expect(page.getByText('viewer', { exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Event Stores' }).click();
  await expect(page.getByRole('heading', { name: 'No event stores yet' })).toBeVisible();
  await expect(page.getByText('api-calls')).toHaveCount(0);
  await expect(page.getByRole('note')).toHaveText(`You are a viewer in ${other}: only owners and editors can create or change event stores.`);

  await switchWorkspace(page, 'Demo workspace');
  await expect(page.getByText('owner', { exact: true })).toBeVisible();
});

test('an owner creates an API key, it works once shown, and stops working when revoked', async ({ page, request }) => {
  const user = await addUser('demo:owner');
  await signIn(page, user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Keys' }).click();
  const name = uniqueSlug('Gateway');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('Choose at least one scope.')).toBeVisible();
  // Focus lands on what to fix: the first scope.
  await expect(page.getByRole('group', { name: 'Scopes' }).getByRole('checkbox').first()).toBeFocused();
  await page.getByRole('checkbox', { name: /stores:read/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: `Copy the key “${name}” now` })).toBeVisible();
  const key = await page.getByLabel('New API key').inputValue();
  expect(key).toMatch(/^umc_/);
  // "Copied" only once the browser really has it on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const ok = await request.get('/api/v1/event-stores', { headers: { authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);

  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(row.getByRole('button', { name: `Confirm revoking ${name}` })).toBeFocused();
  await row.getByRole('button', { name: `Confirm revoking ${name}` }).click();
  await expect(row.getByText(/^Revoked/)).toBeVisible();

  const refused = await request.get('/api/v1/event-stores', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Invalid or revoked API key.' } });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
  await expect(page.getByRole('row', { name: /api_key\.revoked/ }).filter({ hasText: name })).toBeVisible();
  await expect(page.getByRole('row', { name: /api_key\.created/ }).filter({ hasText: name })).toBeVisible();
});

test('a viewer is told why they cannot create stores or manage keys', async ({ page }) => {
  const viewer = await addUser('demo:viewer');
  await signIn(page, viewer);
  await page.goto('/event-stores');
  await expect(page.getByRole('note')).toHaveText('You are a viewer in Demo workspace: only owners and editors can create or change event stores.');
  await expect(page.getByRole('button', { name: 'Create store' })).toHaveCount(0);
  await page.goto('/settings/api-keys');
  await expect(page.getByRole('note')).toHaveText('You are a viewer in Demo workspace: only owners can create or revoke API keys.');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' })).toHaveCount(0);
});

test('an editor creates an event store and sees it listed', async ({ page }) => {
  const editor = await addUser('demo:editor');
  await signIn(page, editor);
  await page.goto('/event-stores');
  const name = uniqueSlug('e2e-store');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Event definition').selectOption({ label: 'API Call' });
  await page.getByRole('button', { name: 'Create store' }).click();
  await expect(page.getByRole('status')).toHaveText(`Created the event store “${name}”.`);
  await expect(page.getByRole('rowheader', { name })).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
  const user = await addUser('demo:viewer');
  await signIn(page, user);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('the audit log says how many entries it shows and pages through older ones', async ({ page }) => {
  const slug = uniqueSlug('e2e-audit');
  const user = await addUser(`${slug}:owner`);
  // 150 entries, written directly: what they record does not matter here, only how many there are.
  await queryDatabase(
    `INSERT INTO audit_events (workspace_id, actor_type, actor_id, actor_label, action, target_type, target_id, details)
     SELECT w.id, 'user', 'seed', 'seed@example.com', 'store.created', 'event_store', 'store-' || lpad(i::text, 3, '0'), '{}'
       FROM workspaces w, generate_series(1, 150) AS i WHERE w.slug = $1`,
    [slug],
  );

  await signIn(page, user);
  await page.goto('/settings/audit');
  await expect(page.getByText('Showing 100 entries, the newest first.')).toBeVisible();
  await expect(page.getByRole('row', { name: /event_store store-150/ })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pages of audit entries' }).getByRole('link', { name: 'Older entries' }).click();
  await expect(page.getByText('Showing 50 entries, older than the previous page.')).toBeVisible();
  await expect(page.getByRole('row', { name: /event_store store-001/ })).toBeVisible();
  await expect(page.getByText('Oldest entry reached')).toBeVisible();
  await page.getByRole('link', { name: 'Newest entries' }).click();
  await expect(page.getByText('Showing 100 entries, the newest first.')).toBeVisible();
});

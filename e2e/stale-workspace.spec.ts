import { addUser, expect, queryDatabase, signIn, switchWorkspace, test, uniqueSlug, workspaceButton } from './fixtures';

test('a form opened for one workspace is refused once another tab has switched workspace, and creates nothing', async ({ context }) => {
  const other = uniqueSlug('e2e-ws');
  const user = await addUser('demo:editor', `${other}:editor`);
  const first = await context.newPage();
  await signIn(first, user);
  await first.goto('/event-stores');
  await expect(workspaceButton(first)).toHaveText('Demo workspace');
  const name = uniqueSlug('e2e-stale');
  await first.getByLabel('Name').fill(name);
  await first.getByLabel('Event definition').selectOption({ label: 'API Call' });

  // Another tab of the same browser switches workspace (the choice is a cookie, shared by both tabs).
  const second = await context.newPage();
  await second.goto('/event-stores');
  await switchWorkspace(second, other);
  // Switching ends on the home page, once the cookie is set.
  await expect(second.getByRole('heading', { level: 1, name: 'Welcome to the Usage Console' })).toBeVisible();

  await first.getByRole('button', { name: 'Create store' }).click();
  await expect(first.getByRole('main').getByRole('alert')).toHaveText(
    `This page was opened for workspace Demo workspace; you have since switched to ${other} in another tab. Nothing was changed. Reload to continue.`,
  );
  expect(await queryDatabase('SELECT id FROM event_stores WHERE name = $1', [name])).toHaveLength(0);

  await first.reload();
  await expect(workspaceButton(first)).toHaveText(other);
  await expect(first.getByRole('heading', { name: 'No event stores yet' })).toBeVisible();
});

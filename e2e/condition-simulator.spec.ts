import { addUser, expect, setCondition, signIn, test, uniqueSlug } from './fixtures';

// "How often would this have fired?": the draft condition over the workspace's stored changes, before saving.
test('the trigger editor simulates a draft condition over recent changes: count, chart and explained examples', async ({ page }) => {
  await signIn(page, await addUser(`${uniqueSlug('e2e-simulator')}:editor`));
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  const posting = (recordId: string, amount: number, hoursAgo: number) => ({
    object: 'Invoice',
    recordId,
    changeType: 'UPDATE',
    current: { Status: 'Posted', Amount: amount },
    previous: { Status: 'Draft', Amount: amount },
    time: at(hoursAgo),
  });
  const response = await page.request.post('/api/v1/object-changes', {
    data: [posting('SIM-1', 1500, 1), posting('SIM-2', 900, 2), posting('SIM-3', 2500, 50)],
  });
  expect(response.status()).toBe(200);

  await page.goto('/custom-events/triggers/new');
  await expect(page.getByRole('button', { name: 'Create trigger' })).toBeEnabled();
  await setCondition(page, "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Amount > 1000");
  const simulator = page.getByRole('region', { name: 'How often would this have fired?' });
  await simulator.getByLabel('Look back').selectOption('7');
  await simulator.getByRole('button', { name: 'Simulate' }).click();

  await expect(simulator.getByText('2 of 3 Invoice changes in the last 7 days would have fired.')).toBeVisible();
  await expect(simulator.getByRole('img', { name: /^Matches per day/ })).toBeVisible();
  const fired = simulator.getByRole('region', { name: 'Would have fired', exact: true });
  await expect(fired.locator('summary')).toHaveCount(2);
  const notFired = simulator.getByRole('region', { name: 'Would not have fired' });
  await notFired.getByText(/UPDATE of SIM-2/).click();
  const tree = notFired.getByRole('list', { name: 'How the condition was evaluated' });
  await expect(tree.locator('li[data-state="false"]').filter({ hasText: 'Invoice.Amount > 1000' }).first()).toBeVisible();

  // Nothing was saved: the draft is only simulated.
  await page.goto('/custom-events');
  await expect(page.getByRole('heading', { name: 'No triggers yet' })).toBeVisible();
});

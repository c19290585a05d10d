import { AppError } from '@/lib/errors';
import { meterExists } from '@/lib/meters/repository';

export interface UsageRecordFilters {
  meterId?: string;
  accountNumber?: string;
}

/**
 * The filters of the usage-records page and export, from query parameters `meter` and `account`. A meter
 * of another workspace, or a malformed id, is "not found" exactly like a missing one.
 */
export async function parseUsageRecordFilters(workspaceId: string, params: URLSearchParams): Promise<UsageRecordFilters> {
  const meterId = params.get('meter')?.trim() || undefined;
  const accountNumber = params.get('account')?.trim() || undefined;
  if (accountNumber && accountNumber.length > 200) {
    throw new AppError('INVALID_QUERY', 'An account number has at most 200 characters.', { fieldErrors: { account: ['Shorten the account number.'] } });
  }
  if (meterId) {
    if (!(await meterExists(workspaceId, meterId))) throw new AppError('NOT_FOUND', 'That meter was not found.', { status: 404, fieldErrors: { meter: ['Choose one of this workspace’s meters.'] } });
  }
  return { meterId, accountNumber };
}

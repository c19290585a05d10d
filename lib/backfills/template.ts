import type { WorkspaceScope } from '@/lib/auth/actor';
import { BACKFILL_MAX_BYTES, BACKFILL_MAX_ROWS } from '@/lib/backfills/types';
import { csvCell } from '@/lib/event-store/csv-cell';
import { findStore } from '@/lib/event-store/get-store';
import type { DefinitionShape } from '@/lib/event-store/record-validation';

/**
 * The CSV a user fills in to delete events: a `#` comment with the limits (the parser skips lines that
 * start with `#`), the header (the definition's event-id and event-time field names), one example row.
 */
export function backfillTemplateCsv(definition: DefinitionShape): string {
  const limits = `# Events to delete: one row per event, at most ${BACKFILL_MAX_ROWS.toLocaleString('en')} rows and ${BACKFILL_MAX_BYTES / 1_048_576} MiB. Event times in ISO 8601 (2026-01-31T12:00:00Z). Lines starting with # are ignored.`;
  const header = [csvCell(definition.eventIdField), csvCell(definition.eventTimeField)].join(',');
  return `${limits}\n${header}\nevt-0001,2026-01-31T12:00:00.000Z\n`;
}

/** The template of a store of the workspace, with a file name that says which store it is for. */
export async function getBackfillTemplate(scope: WorkspaceScope, storeId: string): Promise<{ fileName: string; csv: string }> {
  const store = await findStore(scope.workspaceId, storeId);
  return { fileName: `${store.name}-backfill-template.csv`, csv: backfillTemplateCsv(store.definition) };
}

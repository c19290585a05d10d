import { Readable } from 'node:stream';
import { MAX_EVENT_VALUES } from '@/lib/event-store/event-limits';
import { readRecords } from '@/lib/event-store/ingest/read-records';
import { storableText, unstorableValue } from '@/lib/event-store/storable-value';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { formatOfFileName } from '@/lib/meters/parse-sample';
import { SOURCE_BATCH_SIZE, type SourceBatch } from '@/lib/pipeline/sources/source-batch';

/** A File upload source node and the format its config declares. */
export interface FileSourceNode {
  nodeId: string;
  format: 'csv' | 'json' | 'ndjson';
}

/**
 * The run's uploaded file, streamed in batches through the ingest readers (the ones event-store uploads use:
 * CSV with its header as field names, a JSON array, or NDJSON; memory stays flat whatever the file's size).
 * Every File upload source node of the meter reads it (a meter normally has one); the format comes from the
 * file's name when it says one, else from the node's config. Each record goes on as the file has it, and
 * the node's own processor converts it to its declared fields (or rejects it, naming the field). An item
 * that cannot even be parsed (a line that is not JSON, a broken CSV row) is a record error of the node,
 * with its position and text; so is a record holding what PostgreSQL cannot store (a NUL, half a surrogate
 * pair, nesting or size past the event limits), which would otherwise fail the whole run at the first write.
 * The text kept with such an error has those characters replaced, so the error itself can be stored.
 */
export async function* fileSource(file: { name: string; content: Buffer }, nodes: readonly FileSourceNode[], batchSize = SOURCE_BATCH_SIZE): AsyncGenerator<SourceBatch> {
  for (const { nodeId, format } of nodes) {
    const effective = formatOfFileName(file.name) ?? format;
    const position = effective === 'json' ? 'Element' : 'Line';
    let batch = emptyBatch(nodeId);
    for await (const item of readRecords(Readable.from([file.content]), effective)) {
      batch.read++;
      const unstorable = 'record' in item ? unstorableValue(item.record, 0, { left: MAX_EVENT_VALUES }) : null;
      if ('record' in item && !unstorable) batch.records.get(nodeId)!.push(item.record as FlowRecord);
      else {
        const why = 'record' in item ? `the record ${unstorable}` : item.unreadable;
        const text = item.text ?? ('record' in item ? JSON.stringify(item.record) : undefined);
        batch.unreadable!.push({ nodeId, reason: `${position} ${item.position}: ${why}`, record: { position: item.position, ...(text !== undefined && { text: storableText(text) }) } });
      }
      if (batch.read >= batchSize) {
        yield batch;
        batch = emptyBatch(nodeId);
      }
    }
    if (batch.read) yield batch;
  }
}

const emptyBatch = (nodeId: string): SourceBatch & { unreadable: NonNullable<SourceBatch['unreadable']> } => ({ records: new Map([[nodeId, []]]), read: 0, unreadable: [] });


'use client';

import { Upload } from 'lucide-react';
import { useState } from 'react';
import { FileDropZone, formatBytes } from '@/components/ui/file-drop-zone';
import { formatCount } from '@/components/ui/format';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import { BACKFILL_MAX_BYTES, BACKFILL_MAX_ROWS, type BackfillPreview } from '@/lib/backfills/types';

interface RowError {
  line: number;
  message: string;
}
type Refusal = { message: string; rowErrors: RowError[] };

/**
 * Upload: the CSV goes to `POST /api/v1/event-stores/{id}/backfills` (the page's workspace named), which
 * parses and checks all of it and records a preview; nothing is deleted. A refusal says what to fix, with
 * the line of every row error the server listed.
 */
export function BackfillUpload({ storeId, onPreview }: { storeId: string; onPreview: (preview: BackfillPreview) => void }) {
  const workspaceId = useRenderedWorkspace();
  const [file, setFile] = useState<File | null>(null);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const upload = async (event: React.FormEvent) => {
    event.preventDefault();
    if (sending) return;
    if (!file) return setRefusal({ message: 'Choose a CSV file first: drop it on the field or click it.', rowErrors: [] });
    if (file.size > BACKFILL_MAX_BYTES) {
      return setRefusal({ message: `“${file.name}” is ${formatBytes(file.size)}; a backfill file may be at most ${formatBytes(BACKFILL_MAX_BYTES)}. Split it.`, rowErrors: [] });
    }
    setSending(true);
    setRefusal(null);
    try {
      const headers: Record<string, string> = { 'Content-Type': 'text/csv', 'X-File-Name': encodeURIComponent(file.name) };
      // The store belongs to the workspace this page was rendered for, whichever another tab switched to since.
      if (workspaceId) headers['X-Workspace-Id'] = workspaceId;
      const response = await fetch(`/api/v1/event-stores/${encodeURIComponent(storeId)}/backfills`, { method: 'POST', headers, body: file });
      const body = (await response.json().catch(() => null)) as (BackfillPreview & { error?: undefined }) | { error?: { message?: string; details?: { rowErrors?: RowError[] } } } | null;
      if (response.status === 201 && body && !body.error) return onPreview(body as BackfillPreview);
      const error = body?.error;
      setRefusal({ message: error?.message ?? `The upload failed (HTTP ${response.status}). Nothing was deleted.`, rowErrors: error?.details?.rowErrors ?? [] });
    } catch {
      setRefusal({ message: 'The connection was lost during the upload. Nothing was deleted; upload the file again.', rowErrors: [] });
    } finally {
      setSending(false);
    }
  };

  return (
    <form onSubmit={(e) => void upload(e)} className="form" aria-label="Upload the events to delete">
      <p className="hint" id="backfill-upload-hint">
        A CSV with the template&apos;s header and one row per event to delete, at most {formatCount(BACKFILL_MAX_ROWS)} rows ({formatBytes(BACKFILL_MAX_BYTES)}). The whole file is
        checked first; nothing is deleted before you confirm.
      </p>
      <FileDropZone
        id="backfill-file"
        label="CSV file"
        accept=".csv,text/csv"
        disabled={sending}
        file={file}
        onFile={(chosen) => {
          setFile(chosen);
          setRefusal(null);
        }}
        describedBy={refusal ? 'backfill-upload-hint backfill-upload-error' : 'backfill-upload-hint'}
        invalid={Boolean(refusal)}
      />
      <button type="submit" className="button" disabled={sending}>
        <Upload size={16} aria-hidden="true" />
        {sending ? 'Checking the file…' : 'Upload and preview'}
      </button>
      {refusal ? <UploadRefusal refusal={refusal} /> : null}
    </form>
  );
}

function UploadRefusal({ refusal }: { refusal: Refusal }) {
  return (
    <div id="backfill-upload-error">
      <div role="alert" className="form-status error">
        {refusal.message}
        {/nothing was deleted/i.test(refusal.message) ? '' : ' Nothing was deleted.'}
      </div>
      {refusal.rowErrors.length ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Row errors</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">What to fix</th>
              </tr>
            </thead>
            <tbody>
              {refusal.rowErrors.map((row) => (
                <tr key={`${row.line}-${row.message}`}>
                  <td className="num">{row.line}</td>
                  <td>{row.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

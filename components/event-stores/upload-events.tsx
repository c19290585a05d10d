'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';

interface Report {
  accepted: number;
  inserted: number;
  replaced: number;
  rejected: number;
  rejections: { position: number; field: string | null; reason: string }[];
  rejectionsTruncated: boolean;
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'done'; report: Report; format: string }
  | { phase: 'failed'; message: string };

const FORMAT_BY_EXTENSION: Record<string, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson' };
const MiB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/**
 * Uploads a CSV, JSON or NDJSON file to the store's ingest endpoint. XMLHttpRequest rather than fetch:
 * only it reports upload progress. The server parses while the file streams in, so progress is real.
 */
export function UploadEvents({ storeId, maxBytes }: { storeId: string; maxBytes: number }) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const workspaceId = useRenderedWorkspace();

  const upload = (event: React.FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return setState({ phase: 'failed', message: 'Choose a file first.' });
    const format = FORMAT_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!format) return setState({ phase: 'failed', message: `“${file.name}” is not .csv, .json, .ndjson or .jsonl.` });
    if (file.size > maxBytes) return setState({ phase: 'failed', message: `“${file.name}” is ${size(file.size)}; the limit is ${size(maxBytes)}. Split it and upload the parts.` });

    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/event-stores/${storeId}/events?format=${format}`);
    xhr.responseType = 'json';
    // The store belongs to the workspace this page was rendered for, whichever another tab switched to since.
    if (workspaceId) xhr.setRequestHeader('X-Workspace-Id', workspaceId);
    // For the audit log (headers are ASCII, file names need not be).
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => setState({ phase: 'uploading', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status === 200 || xhr.status === 422) {
        setState({ phase: 'done', report: body as Report, format });
        router.refresh();
      } else {
        setState({ phase: 'failed', message: body?.error?.message ?? `The upload failed (HTTP ${xhr.status}).` });
      }
    };
    xhr.onerror = () => setState({ phase: 'failed', message: 'The connection was lost during the upload. Nothing is duplicated if you upload the file again.' });
    setState({ phase: 'uploading', sent: 0, total: file.size });
    xhr.send(file);
  };

  const busy = state.phase === 'uploading';
  return (
    <form onSubmit={upload} className="form" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload events</h2>
      <p className="hint" id="upload-hint">
        CSV (a header row with the field names), a JSON array, or NDJSON (one event per line), up to {size(maxBytes)}. An event whose id is already
        stored replaces it, so uploading a file again never duplicates.
      </p>
      <div className="field">
        <label htmlFor="upload-file">File</label>
        <input
          id="upload-file"
          ref={fileInput}
          type="file"
          accept=".csv,.json,.ndjson,.jsonl"
          disabled={busy}
          aria-describedby={state.phase === 'failed' ? 'upload-hint upload-error' : 'upload-hint'}
          aria-invalid={state.phase === 'failed' || undefined}
        />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      {state.phase === 'uploading' ? (
        <div>
          <label htmlFor="upload-progress">Upload progress</label>
          <progress id="upload-progress" max={state.total} value={state.sent} />
          {/* Not live: the progress bar itself is what assistive technology follows; the result is announced. */}
          <p className="small">
            {Math.floor((state.sent / Math.max(1, state.total)) * 100)}% · {size(state.sent)} of {size(state.total)}
          </p>
        </div>
      ) : null}
      {state.phase === 'failed' ? (
        <div role="alert" id="upload-error" className="form-status error">
          {state.message}
        </div>
      ) : null}
      {state.phase === 'done' ? <UploadReport report={state.report} /> : null}
    </form>
  );
}

function UploadReport({ report }: { report: Report }) {
  return (
    <div className="upload-result">
      {/* Only the one-line summary is announced; the rejections table is there to read at will. */}
      <p role="status" className={report.rejected ? 'form-status error' : 'form-status ok'}>
        Stored {report.accepted.toLocaleString('en')} events ({report.inserted.toLocaleString('en')} new,{' '}
        {report.replaced.toLocaleString('en')} replaced); rejected {report.rejected.toLocaleString('en')}.
      </p>
      {report.replaced ? (
        <p className="hint">
          Replaced: an event with the same id was already stored, or came earlier in this file; the last one is kept.
        </p>
      ) : null}
      {report.rejections.length ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Rejected records</caption>
            <thead>
              <tr>
                <th scope="col">Line or index</th>
                <th scope="col">Field</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {report.rejections.map((r) => (
                <tr key={`${r.position}-${r.field}`}>
                  <td>{r.position}</td>
                  <td>{r.field ?? '—'}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.rejectionsTruncated ? <p className="muted small">Only the first {report.rejections.length.toLocaleString('en')} rejections are listed.</p> : null}
    </div>
  );
}

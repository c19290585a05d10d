'use client';

import { Download, Upload } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { csvHeaderOf, rejectedRowsCsv, type RejectedRow } from '@/components/event-stores/rejected-rows-csv';
import { FileDropZone, formatBytes } from '@/components/ui/file-drop-zone';
import { formatCount } from '@/components/ui/format';
import { toast } from '@/components/ui/toaster';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';

interface Report {
  accepted: number;
  inserted: number;
  replaced: number;
  rejected: number;
  rejections: RejectedRow[];
  rejectionsTruncated: boolean;
}

/** What the rejected-rows download needs to know about the file the report came from. */
interface Source {
  name: string;
  format: string;
  csvHeader?: string;
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'done'; report: Report; source: Source }
  | { phase: 'failed'; message: string };

const FORMAT_BY_EXTENSION: Record<string, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson' };

/**
 * Uploads a CSV, JSON or NDJSON file to the store's ingest endpoint. XMLHttpRequest rather than fetch:
 * only it reports upload progress. The server parses while the file streams in, so progress is real.
 * The route is asked for the rejected records' text (`include=records`), so they can be downloaded to fix.
 */
export function UploadEvents({ storeId, maxBytes }: { storeId: string; maxBytes: number }) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const [file, setFile] = useState<File | null>(null);
  const router = useRouter();
  const workspaceId = useRenderedWorkspace();

  const upload = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return setState({ phase: 'failed', message: 'Choose a file first: drop it on the field or click it.' });
    const format = FORMAT_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!format) return setState({ phase: 'failed', message: `“${file.name}” is not .csv, .json, .ndjson or .jsonl.` });
    if (file.size > maxBytes) return setState({ phase: 'failed', message: `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}. Split it and upload the parts.` });
    const source: Source = { name: file.name, format, csvHeader: format === 'csv' ? csvHeaderOf(await file.slice(0, 64 * 1024).text()) : undefined };

    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/event-stores/${storeId}/events?format=${format}&include=records`);
    xhr.responseType = 'json';
    // The store belongs to the workspace this page was rendered for, whichever another tab switched to since.
    if (workspaceId) xhr.setRequestHeader('X-Workspace-Id', workspaceId);
    // For the audit log (headers are ASCII, file names need not be).
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => setState({ phase: 'uploading', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status === 200 || xhr.status === 422) {
        const report = body as Report;
        setState({ phase: 'done', report, source });
        if (report.accepted > 0) toast.success(`Uploaded ${formatCount(report.accepted)} events from “${file.name}”.`);
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
        CSV (a header row with the field names), a JSON array, or NDJSON (one event per line), up to {formatBytes(maxBytes)}. An event whose id is already
        stored replaces it, so uploading a file again never duplicates.
      </p>
      <FileDropZone
        id="upload-file"
        label="File"
        accept=".csv,.json,.ndjson,.jsonl"
        disabled={busy}
        file={file}
        onFile={(chosen) => {
          setFile(chosen);
          if (state.phase === 'failed') setState({ phase: 'idle' });
        }}
        progress={state.phase === 'uploading' ? state : undefined}
        describedBy={state.phase === 'failed' ? 'upload-hint upload-error' : 'upload-hint'}
        invalid={state.phase === 'failed'}
      />
      <button type="submit" className="button" disabled={busy}>
        <Upload size={16} aria-hidden="true" />
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      {state.phase === 'failed' ? (
        <div role="alert" id="upload-error" className="form-status error">
          {state.message}
        </div>
      ) : null}
      {state.phase === 'done' ? <UploadReport report={state.report} source={state.source} /> : null}
    </form>
  );
}

/** What was stored, as a success; what was rejected, apart, as a warning with its rows to download. */
function UploadReport({ report, source }: { report: Report; source: Source }) {
  return (
    <div className="upload-result">
      <p role="status" className={report.accepted ? 'form-status ok' : 'form-status error'}>
        {report.accepted
          ? `Stored ${formatCount(report.accepted)} events (${formatCount(report.inserted)} new, ${formatCount(report.replaced)} replaced).`
          : 'Nothing was stored: every record was rejected.'}
      </p>
      {report.replaced ? (
        <p className="hint">Replaced: an event with the same id was already stored, or came earlier in this file; the last one is kept.</p>
      ) : null}
      {report.rejected ? <Rejections report={report} source={source} /> : null}
    </div>
  );
}

function Rejections({ report, source }: { report: Report; source: Source }) {
  const download = () => {
    const blob = new Blob([rejectedRowsCsv(report.rejections, source)], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${source.name.replace(/\.[^.]+$/, '')}-rejected.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };
  const positionName = source.format === 'json' ? 'Index' : 'Line';
  return (
    <section className="rejections" aria-labelledby="rejections-title">
      <div className="rejections-head">
        <h3 id="rejections-title">
          <span role="status">
            Rejected {formatCount(report.rejected)} {report.rejected === 1 ? 'record' : 'records'}
          </span>
        </h3>
        <button type="button" className="button secondary" onClick={download}>
          <Download size={16} aria-hidden="true" /> Download rejected rows (CSV)
        </button>
      </div>
      <p className="hint">
        {source.format === 'csv'
          ? 'The download has each rejected row as you wrote it, after its line and reason: fix the rows, delete the position and reason columns, and upload the file again.'
          : 'The download has each rejected record’s text with its position and reason: fix them and upload again.'}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Rejected records</caption>
          <thead>
            <tr>
              <th scope="col">{positionName}</th>
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
      {report.rejectionsTruncated ? (
        <p className="muted small">Only the first {formatCount(report.rejections.length)} rejections are listed and downloaded.</p>
      ) : null}
    </section>
  );
}

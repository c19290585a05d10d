'use client';

import { FileUp } from 'lucide-react';
import { useState } from 'react';

const MiB = 1024 * 1024;
export const formatBytes = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export interface FileDropZoneProps {
  id: string;
  /** The field's label ("File"); the native file input keeps it, so getByLabel and screen readers find it. */
  label: string;
  accept?: string;
  disabled?: boolean;
  file: File | null;
  onFile: (file: File | null) => void;
  /** Bytes sent so far, while an upload runs: shows a labelled progress bar. */
  progress?: { sent: number; total: number };
  describedBy?: string;
  invalid?: boolean;
}

/**
 * A file field that also takes a dropped file. The real `<input type="file">` stays in the page (visually
 * hidden, still focusable): Tab reaches it, Enter or Space opens the browser's chooser, and the zone around
 * it shows its focus; clicking anywhere in the zone opens the chooser too (it is the input's label).
 * Used by event uploads, and by backfill later.
 */
export function FileDropZone({ id, label, accept, disabled, file, onFile, progress, describedBy, invalid }: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const percent = progress ? Math.floor((progress.sent / Math.max(1, progress.total)) * 100) : 0;
  return (
    <div className="field">
      <span className="field-label" aria-hidden="true">
        {label}
      </span>
      <label
        htmlFor={id}
        className={`drop-zone${dragging ? ' dragging' : ''}${disabled ? ' disabled' : ''}`}
        onDragOver={(e) => {
          if (disabled) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!disabled && e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]);
        }}
      >
        <FileUp size={22} aria-hidden="true" />
        <span>
          {file ? (
            <>
              <strong>{file.name}</strong> · {formatBytes(file.size)} <span className="muted">(drop or click to choose another)</span>
            </>
          ) : (
            <>
              <strong>Drop a file here</strong> or click to choose one
            </>
          )}
        </span>
      </label>
      <input
        id={id}
        type="file"
        className="sr-only drop-zone-input"
        aria-label={label}
        accept={accept}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onChange={(e) => onFile(e.target.files?.[0] ?? null)}
      />
      {progress ? (
        <div className="drop-zone-progress">
          <label htmlFor={`${id}-progress`}>Upload progress</label>
          <progress id={`${id}-progress`} max={progress.total} value={progress.sent} />
          {/* Not live: the progress bar itself is what assistive technology follows; the result is announced. */}
          <p className="small">
            {percent}% · {formatBytes(progress.sent)} of {formatBytes(progress.total)}
          </p>
        </div>
      ) : null}
    </div>
  );
}

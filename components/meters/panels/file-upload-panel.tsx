'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { FileDropZone } from '@/components/ui/file-drop-zone';
import type { FlowField } from '@/lib/meters/flow-schema';
import { inferFields, projectRows, type InferredField } from '@/lib/meters/infer-schema';
import { formatOfFileName, parseSample, SAMPLE_FORMATS, SAMPLE_MAX_BYTES, SAMPLE_MAX_ROWS, type SampleFormat } from '@/lib/meters/parse-sample';
import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { FileUploadConfig } from '@/lib/meters/kinds';
import { SelectControl } from '@/components/meters/panels/controls';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import { SchemaTable } from '@/components/meters/panels/schema-table';
import { fileSamples, type FileSample } from '@/components/meters/panels/file-samples';
import styles from '@/components/meters/panels/panels.module.css';

const FORMAT_OPTIONS = SAMPLE_FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }));
const strip = ({ column: _column, ...field }: InferredField): FlowField => field;

/**
 * File upload: a CSV, JSON or NDJSON file read in the browser (its first 1,000 rows, at most 5 MB), its
 * schema inferred and then edited here; the rows, typed by that schema, go to the preview (onSampleRows).
 * Only the file's name, format and schema are saved with the meter; the rows stay in this page.
 */
export function FileUploadPanel({ node, config, onChange, problems, editable, onSampleRows }: PanelProps<FileUploadConfig>) {
  const [sample, setSample] = useState<FileSample | undefined>(() => fileSamples.get(node.id));
  const [reading, setReading] = useState<string | null>(null);
  const fields: InferredField[] = config.fields.map((f) => ({ ...f, column: sample?.columns.get(f.name) ?? f.name }));
  const rows = useMemo(() => (sample ? projectRows(sample.parsed.rows, fields) : null), [sample, config.fields]); // eslint-disable-line react-hooks/exhaustive-deps -- fields derive from these two

  const handUp = useRef(onSampleRows);
  useEffect(() => {
    handUp.current = onSampleRows;
  }, [onSampleRows]);
  useEffect(() => {
    if (rows) handUp.current?.(node.id, rows);
  }, [rows, node.id]);

  const keep = (next: FileSample | undefined) => {
    if (next) fileSamples.set(node.id, next);
    else fileSamples.delete(node.id);
    setSample(next);
  };

  async function read(file: File, format: SampleFormat) {
    setReading(`Reading ${file.name}…`);
    const cut = file.size > SAMPLE_MAX_BYTES;
    const parsed = parseSample(await file.slice(0, SAMPLE_MAX_BYTES).text(), format, cut);
    const inferred = inferFields(parsed.rows, parsed.textual);
    keep({ file, parsed, columns: new Map(inferred.map((f) => [f.name, f.column])) });
    setReading(null);
    onChange({ fileName: file.name, format, fields: inferred.map(strip) });
  }

  const onFile = (file: File | null) => {
    if (!file) return;
    const format = formatOfFileName(file.name);
    if (!format) return setReading(`“${file.name}” is not a .csv, .json or .ndjson file. Choose one of those, or rename the file to say its format.`);
    void read(file, format);
  };

  const editFields = (next: InferredField[]) => {
    if (sample) {
      const columns = new Map(sample.columns);
      for (const f of next) columns.set(f.name, f.column);
      keep({ ...sample, columns });
    }
    onChange({ ...config, fields: next.map(strip) });
  };

  return (
    <div className={styles.panel}>
      <FileDropZone id={pathId(node.id, ['file'])} label="File" accept=".csv,.json,.ndjson,.jsonl" disabled={!editable} file={sample?.file ?? null} onFile={onFile} />
      <div role="status" aria-live="polite" className="hint">
        {reading ?? describeSample(config, sample)}
      </div>
      {sample?.parsed.problems.length ? (
        <ul className="field-error">
          {sample.parsed.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <SelectControl
        id={pathId(node.id, ['format'])}
        label="Format"
        value={config.format}
        options={FORMAT_OPTIONS}
        onChange={(format) => (sample ? void read(sample.file, format as SampleFormat) : onChange({ ...config, format: format as SampleFormat }))}
        problems={problemsAt(problems, ['format'])}
        disabled={!editable}
      />
      <SchemaTable nodeId={node.id} caption="Fields of the file’s records" fields={fields} onChange={editFields} problems={problems} editable={editable} />
    </div>
  );
}

function describeSample(config: FileUploadConfig, sample: FileSample | undefined): string {
  if (!sample) {
    return config.fileName
      ? `Schema of ${config.fileName}. Choose the file again to preview its rows (rows are not saved with the meter).`
      : `Choose a file: its schema is inferred from its first ${SAMPLE_MAX_ROWS.toLocaleString('en')} rows, and those rows feed the preview.`;
  }
  const { rows, truncated } = sample.parsed;
  return `Read ${rows.length.toLocaleString('en')} rows of ${sample.file.name}${truncated ? ` (the file is longer: its first ${SAMPLE_MAX_ROWS.toLocaleString('en')} rows or 5 MB)` : ''}. Rows that do not fit the fields below are listed as rejected in the preview.`;
}

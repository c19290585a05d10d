'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { restoreMeterVersionAction } from '@/app/(console)/meters/actions';
import { Drawer } from '@/components/ui/drawer';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/toaster';
import { diffGraphs, type GraphDiff } from '@/lib/meters/diff';
import type { MeterGraph, MeterNode } from '@/lib/meters/graph';
import { isDirty } from './canvas-store';
import { useMeterEditor } from './editor-context';
import { useWorkspaceCall } from './use-workspace-call';
import styles from './canvas.module.css';

/** A saved version as the page hands it to the editor (its graph included, for the diff and restore). */
export interface VersionEntry {
  version: number;
  createdAt: string;
  createdBy: string;
  note: string;
  graph: MeterGraph;
}

/**
 * The version history: every version (newest first), a structural diff between two chosen versions, and
 * Restore, which saves an old version's graph as a new version (audited on the server).
 */
export function HistoryDrawer({
  open,
  onOpenChange,
  versions,
  version,
  onRestored,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  versions: VersionEntry[];
  version: number;
  onRestored: (version: number, graph: MeterGraph) => void;
}) {
  const { store, meterId, editable, nodeName } = useMeterEditor();
  const restore = useWorkspaceCall(restoreMeterVersionAction);
  const router = useRouter();
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const fromVersion = versions.find((v) => String(v.version) === from) ?? versions[1];
  const toVersion = versions.find((v) => String(v.version) === to) ?? versions[0];
  const options = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));

  const onRestore = async (entry: VersionEntry) => {
    if (isDirty(store.getState()) && !window.confirm(`Restoring version ${entry.version} discards your unsaved changes. Restore it?`)) return;
    setBusy(true);
    const result = await restore({ meterId, version: entry.version, baseVersion: version }).catch(() => null);
    setBusy(false);
    if (!result) return void toast.error('The version could not be restored: the server did not answer. Try again.');
    if (!result.ok) return void toast.error(result.message);
    onRestored(result.data.version, entry.graph);
    toast.success(`Restored version ${entry.version} as version ${result.data.version}.`);
    router.refresh();
    onOpenChange(false);
  };

  return (
    <Drawer open={open} onOpenChange={onOpenChange} title="Version history">
      {versions.length === 0 ? (
        <p className="muted">No version yet: the first save creates version 1.</p>
      ) : (
        <>
          <ol className={styles.versionList} aria-label="Versions">
            {versions.map((entry) => (
              <li key={entry.version}>
                <div>
                  <strong>Version {entry.version}</strong>
                  {entry.version === version ? <span className="badge muted-badge">current</span> : null}
                  <div className="muted small">
                    {entry.createdBy}, {new Date(entry.createdAt).toLocaleString('en-US')}
                    {entry.note ? ` · ${entry.note}` : ''}
                  </div>
                </div>
                {editable && entry.version !== version ? (
                  <button type="button" className="button secondary" disabled={busy} onClick={() => void onRestore(entry)}>
                    Restore version {entry.version}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
          {versions.length > 1 && fromVersion && toVersion ? (
            <section aria-label="Compare versions">
              <h3 className={styles.panelHeading}>Compare</h3>
              <div className={styles.compareRow}>
                <Select ariaLabel="Compare from version" options={options} value={String(fromVersion.version)} onValueChange={setFrom} />
                <span aria-hidden="true">→</span>
                <Select ariaLabel="Compare to version" options={options} value={String(toVersion.version)} onValueChange={setTo} />
              </div>
              <DiffView diff={diffGraphs(fromVersion.graph, toVersion.graph)} nodeName={nodeName} graphs={[fromVersion.graph, toVersion.graph]} />
            </section>
          ) : null}
        </>
      )}
    </Drawer>
  );
}

function DiffView({ diff, nodeName, graphs }: { diff: GraphDiff; nodeName: (node: MeterNode) => string; graphs: [MeterGraph, MeterGraph] }) {
  const named = (id: string) => {
    const node = graphs[1].nodes.find((n) => n.id === id) ?? graphs[0].nodes.find((n) => n.id === id);
    return node ? nodeName(node) : id;
  };
  const lines = [
    ...diff.addedNodes.map((n) => `Added ${nodeName(n)}`),
    ...diff.removedNodes.map((n) => `Removed ${nodeName(n)}`),
    ...diff.changedNodes.map((c) => `Changed ${nodeName(c.after)}: ${c.changed.join(', ')}`),
    ...diff.addedEdges.map((e) => `Connected ${named(e.source)} → ${named(e.target)}`),
    ...diff.removedEdges.map((e) => `Disconnected ${named(e.source)} → ${named(e.target)}`),
  ];
  if (lines.length === 0) return <p className="muted small">No structural difference (positions are not compared).</p>;
  return (
    <ul className={styles.diffList} aria-label="Differences">
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

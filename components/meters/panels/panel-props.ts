import type { FlowRecord, FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import type { MeterContext } from '@/lib/meters/kind-spec';
import type { MeterProblem } from '@/lib/meters/problems';

/** An event definition as the inline "new store" form offers it. */
export interface DefinitionChoice {
  id: string;
  name: string;
}

/**
 * What the side panel gives the selected node's panel (components/meters/panels/<kind>.tsx). The panel
 * edits the node's config only through onChange (one undo step per committed change: the canvas groups
 * keystrokes in a text field into one step when the field loses focus or after a pause).
 */
export interface PanelProps<C = unknown> {
  node: MeterNode;
  /** The node's config, already parsed by its kind's schema where it parses (the default config otherwise). */
  config: C;
  onChange: (config: C) => void;
  /** What flows into the node (empty for sources) and out of it, as analyzeMeter computed them. */
  input: FlowSchema;
  output: FlowSchema;
  context: MeterContext;
  /**
   * The workspace's event definitions, every one (not only those a store uses), for the inline "new store"
   * form of the Event Store panels. Undefined where no editor provides them (the form then offers only a new one).
   */
  definitions?: readonly DefinitionChoice[];
  /** This node's problems; fields with a configPath are marked where they are edited. */
  problems: MeterProblem[];
  /** The preview's rows leaving this node, when a preview ran. */
  previewRows?: FlowRecord[];
  /** False for viewers: the panel shows the settings read-only. */
  editable: boolean;
  /** The saved meter's id (HTTP ingest shows its endpoint); undefined before the first save. */
  meterId?: string;
  /**
   * A source's sample for the preview, when the panel has one (File upload: the file's first ≤1,000 rows,
   * typed by its edited schema). Called again whenever the sample or its schema changes; [] when cleared.
   */
  onSampleRows?: (nodeId: string, rows: FlowRecord[]) => void;
}

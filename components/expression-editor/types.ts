import type { ExpressionSchema } from '@/lib/expressions/schema';

/** Props of the one expression editor used by trigger conditions and meter processors. */
export interface ExpressionEditorProps {
  /** Form field name: the editor keeps a hidden input with this name in sync, so plain forms submit it. */
  name: string;
  /** Accessible label (also the editor's aria-label). */
  label: string;
  defaultValue?: string;
  schema: ExpressionSchema;
  /** Conditions must be true or false. */
  requireBoolean?: boolean;
  /** Called on every change (debounced by the caller if needed). */
  onChange?: (value: string) => void;
  /** id of an element describing errors from the server, for aria-describedby. */
  describedBy?: string;
  /** The server refused the value: the editor's input is marked aria-invalid (and so gets focus first). */
  invalid?: boolean;
}

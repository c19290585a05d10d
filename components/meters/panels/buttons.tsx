import { Plus, Trash2 } from 'lucide-react';
import styles from '@/components/meters/panels/panels.module.css';

/** A row's remove button: an icon, named for screen readers and getByRole ("Remove field units"). */
export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className={styles.iconButton} aria-label={label} onClick={onClick}>
      <Trash2 size={16} aria-hidden="true" />
    </button>
  );
}

export function AddButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className={styles.secondary} onClick={onClick}>
      <Plus size={16} aria-hidden="true" /> {label}
    </button>
  );
}

/** The header row of an editable table: its columns, and an unnamed one for the rows' remove buttons. */
export function RowsHead({ columns, removable }: { columns: string[]; removable: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {removable ? (
          <th scope="col">
            <span className="sr-only">Remove</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

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

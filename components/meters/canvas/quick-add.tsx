'use client';

import { Dialog } from 'radix-ui';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { NodeKind } from '@/lib/meters/graph';
import { CATEGORY_TITLES, kindsByCategory } from './palette';
import { useAddNode } from './use-add-node';
import styles from './canvas.module.css';

/**
 * Kinds whose label, description or keywords contain every word typed: those whose label has every word
 * first ("webhook" puts Webhook before HTTP ingest, whose description mentions webhooks), else palette order.
 */
export function matchingKinds(query: string) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const inLabel = (label: string) => words.every((w) => label.toLowerCase().includes(w));
  return kindsByCategory()
    .flatMap(({ specs }) => specs)
    .filter((spec) => {
      const text = [spec.label, spec.description, spec.category, ...spec.keywords].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => Number(inLabel(b.label)) - Number(inLabel(a.label)));
}

/**
 * The quick-add (Tab on the canvas, or "/"): type to narrow the kinds, arrows to choose, Enter to add it next
 * to the selected node. A combobox over a listbox, so a screen reader follows the active option.
 */
export function QuickAdd({ open, onOpenChange, returnFocus }: { open: boolean; onOpenChange: (open: boolean) => void; returnFocus: () => HTMLElement | null }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.quickAddOverlay} />
        <Dialog.Content
          className={styles.quickAdd}
          aria-describedby={undefined}
          // Back to the canvas (not to whatever had focus, often nothing after "/"), so the keyboard path goes on there.
          onCloseAutoFocus={(event) => {
            const target = returnFocus();
            if (!target) return;
            event.preventDefault();
            target.focus();
          }}
        >
          <Dialog.Title className={styles.quickAddTitle}>Add a node</Dialog.Title>
          {/* Mounted only while open, so each opening starts with an empty search. */}
          <QuickAddSearch onDone={() => onOpenChange(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function QuickAddSearch({ onDone }: { onDone: () => void }) {
  const addNode = useAddNode();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMemo(() => matchingKinds(query), [query]);
  const listId = useId();
  const current = matches[Math.min(active, matches.length - 1)];

  const choose = (kind: NodeKind) => {
    addNode(kind);
    onDone();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (matches.length === 0 ? 0 : (Math.min(i, matches.length - 1) + step + matches.length) % matches.length));
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      choose(current.kind);
    }
  };

  return (
    <>
      <input
        className={styles.quickAddInput}
        role="combobox"
        aria-label="Search node kinds"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.kind}` : undefined}
        aria-autocomplete="list"
        value={query}
        placeholder="Filter, Event Store, aggregate…"
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <ul id={listId} role="listbox" aria-label="Node kinds" className={styles.quickAddList}>
        {matches.map((spec) => (
          <li
            key={spec.kind}
            id={`${listId}-${spec.kind}`}
            role="option"
            aria-selected={spec === current}
            className={spec === current ? styles.quickAddActive : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(spec.kind)}
          >
            <strong>{spec.label}</strong> <span className="muted small">{CATEGORY_TITLES[spec.category].slice(0, -1)} · {spec.description}</span>
          </li>
        ))}
      </ul>
      {matches.length === 0 ? <p className="muted small">No node kind matches “{query}”.</p> : null}
    </>
  );
}

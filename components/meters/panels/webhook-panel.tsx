'use client';

import type { PanelProps } from '@/components/meters/panels/panel-props';
import type { WebhookConfig } from '@/lib/meters/kinds';
import { IntegerControl, TextControl } from '@/components/meters/panels/controls';
import { pathId, problemsAt } from '@/components/meters/panels/problems-at';
import styles from '@/components/meters/panels/panels.module.css';

/** Webhook: POSTs the records as JSON arrays of up to `batchSize`, optionally with a secret header. */
export function WebhookPanel({ node, config, onChange, problems, editable }: PanelProps<WebhookConfig>) {
  const id = (key: string) => pathId(node.id, [key]);
  return (
    <div className={styles.panel}>
      <TextControl id={id('url')} type="url" label="URL" placeholder="https://example.com/usage" value={config.url} onCommit={(url) => onChange({ ...config, url: url.trim() })} problems={problemsAt(problems, ['url'])} hint="Each batch is sent as an HTTP POST with a JSON array of records." disabled={!editable} />
      <IntegerControl id={id('batchSize')} label="Batch size" value={config.batchSize} onCommit={(batchSize) => onChange({ ...config, batchSize })} problems={problemsAt(problems, ['batchSize'])} hint="Records per request, 1 to 1,000." disabled={!editable} />
      <TextControl
        id={id('secretHeader')}
        label="Secret header name (optional)"
        placeholder="X-Webhook-Secret"
        value={config.secretHeader ?? ''}
        onCommit={(name) => {
          const { secretHeader: _drop, ...rest } = config;
          onChange(name.trim() ? { ...rest, secretHeader: name.trim() } : rest);
        }}
        problems={problemsAt(problems, ['secretHeader'])}
        hint="The header that carries the shared secret, so the receiver can tell the requests come from this meter."
        disabled={!editable}
      />
    </div>
  );
}

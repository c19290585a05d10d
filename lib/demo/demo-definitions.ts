/** The demo workspace's event definitions and stores: what a first-time user sees. */
export const DEMO_WORKSPACE = { slug: 'demo', name: 'Demo workspace' } as const;
/** A second, empty workspace so switching can be tried at once. */
export const SANDBOX_WORKSPACE = { slug: 'sandbox', name: 'Sandbox' } as const;
/** Created on first start with a random password, printed once by the launcher. */
export const DEMO_USER = { email: 'demo@example.com', name: 'Demo Owner' } as const;

export const DEMO_DEFINITIONS = [
  {
    name: 'API Call',
    description: 'One metered call to the public API.',
    eventIdField: 'requestId',
    eventTimeField: 'occurredAt',
    fields: [
      { name: 'requestId', type: 'string', required: true, description: 'Unique id of the request.' },
      { name: 'occurredAt', type: 'datetime', required: true, description: 'When the call was made.' },
      { name: 'customerId', type: 'string', required: true, description: 'Billing account of the caller.', indexed: true },
      { name: 'endpoint', type: 'string', required: true, description: 'Path of the endpoint called.' },
      { name: 'region', type: 'string', required: false, description: 'Region that served the call.' },
      { name: 'units', type: 'integer', required: true, description: 'Billable units of the call.' },
      { name: 'latencyMs', type: 'number', required: false, description: 'Response time in milliseconds.' },
    ],
  },
  {
    name: 'Storage Snapshot',
    description: 'Hourly snapshot of stored gigabytes per bucket.',
    eventIdField: 'snapshotId',
    eventTimeField: 'capturedAt',
    fields: [
      { name: 'snapshotId', type: 'string', required: true, description: 'Unique id of the snapshot.' },
      { name: 'capturedAt', type: 'datetime', required: true, description: 'When the snapshot was taken.' },
      { name: 'customerId', type: 'string', required: true, description: 'Billing account that owns the bucket.', indexed: true },
      { name: 'bucket', type: 'string', required: true, description: 'Bucket name.' },
      { name: 'tier', type: 'string', required: true, description: 'Storage tier: standard or archive.' },
      { name: 'gigabytes', type: 'number', required: true, description: 'Stored gigabytes at capture time.' },
    ],
  },
] as const;

export const DEMO_STORES = [
  { name: 'api-calls', definition: 'API Call', description: 'Raw API calls from the gateway.', events: 60_000 },
  { name: 'storage-snapshots', definition: 'Storage Snapshot', description: 'Hourly storage usage.', events: 50_000 },
] as const;

/** Demo events span this many days back from the moment of seeding. */
export const DEMO_DAYS = 90;

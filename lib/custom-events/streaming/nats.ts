import { hash } from 'node:crypto';
import net from 'node:net';
import { jetstream, jetstreamManager, RetentionPolicy, type ConsumerConfig, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/**
 * Where object changes and business events flow when NATS JetStream carries them (issue 14, "past one
 * machine"). Two streams, named from `prefix` so tests can have their own:
 * - `<PREFIX>_CHANGES` on `<prefix>.changes.<partition>`: change ids of one workspace, partitioned by a hash of
 *   object and record id, so one durable consumer per partition (max_ack_pending 1) keeps each record's order;
 * - `<PREFIX>_BUSINESS_EVENTS` on `<prefix>.business-events.<workspaceId>`: business events once stored.
 * Limits retention (not WorkQueue), so a consumer can replay either from a point in time.
 */
export interface StreamingConfig {
  url: string;
  prefix: string;
  partitions: number;
}

export interface Streaming {
  config: StreamingConfig;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  changesStream: string;
  businessEventsStream: string;
  changesSubject(partition: number): string;
  businessEventsSubject(workspaceId: string): string;
  close(): Promise<void>;
}

const DEFAULT_PARTITIONS = 8;
const SEVEN_DAYS_MS = 7 * 86_400_000;

/** The JetStream settings from the environment (NATS_URL, NATS_PARTITIONS, NATS_PREFIX), or null without NATS_URL: PostgreSQL alone then. */
export function streamingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StreamingConfig | null {
  const url = env.NATS_URL?.trim();
  if (!url) return null;
  const partitions = env.NATS_PARTITIONS ? Number(env.NATS_PARTITIONS) : DEFAULT_PARTITIONS;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 256) throw new Error(`NATS_PARTITIONS must be a whole number from 1 to 256; it is "${env.NATS_PARTITIONS}".`);
  const prefix = env.NATS_PREFIX?.trim() || 'um';
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`NATS_PREFIX may hold letters, digits, _ and - only; it is "${prefix}".`);
  return { url, prefix, partitions };
}

/** The subject of a partition of the changes stream under a prefix. */
export const changesSubjectOf = (prefix: string, partition: number) => `${prefix}.changes.${partition}`;

/** The subject of a workspace's business events under a prefix. */
export const businessEventsSubjectOf = (prefix: string, workspaceId: string) => `${prefix}.business-events.${workspaceId}`;

/** The partition of a record: the first 4 bytes of sha1(object + record id), modulo the partitions. Stable across processes. */
export function partitionOf(object: string, recordId: string, partitions: number): number {
  // crypto.hash: the one-shot form (no Hash object per record), the same digest.
  return hash('sha1', `${object}\u0000${recordId}`, 'buffer').readUInt32BE(0) % partitions;
}

/** Connects, and creates both streams when they are missing (an existing stream is left as it is). */
export async function openStreaming(config: StreamingConfig): Promise<Streaming> {
  const nc = await connect({ servers: config.url, name: `usage-mediation-${process.pid}`, maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    const upper = config.prefix.toUpperCase().replace(/-/g, '_');
    const streaming: Streaming = {
      config,
      nc,
      js: jetstream(nc),
      jsm,
      changesStream: `${upper}_CHANGES`,
      businessEventsStream: `${upper}_BUSINESS_EVENTS`,
      changesSubject: (partition) => changesSubjectOf(config.prefix, partition),
      businessEventsSubject: (workspaceId) => businessEventsSubjectOf(config.prefix, workspaceId),
      close: () => nc.close(),
    };
    await ensureStream(jsm, streaming.changesStream, `${config.prefix}.changes.>`);
    await ensureStream(jsm, streaming.businessEventsStream, `${config.prefix}.business-events.>`);
    return streaming;
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw error;
  }
}

async function ensureStream(jsm: JetStreamManager, name: string, subject: string): Promise<void> {
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects: [subject], retention: RetentionPolicy.Limits, max_age: nanos(SEVEN_DAYS_MS), duplicate_window: nanos(2 * 60_000) });
  }
}

/**
 * Creates a durable consumer on `stream`, or, when another process made it first (perhaps with other
 * settings: an older version, another start time), uses that one as it is.
 */
export async function ensureDurableConsumer(streaming: Streaming, stream: string, config: Partial<ConsumerConfig> & { durable_name: string }): Promise<void> {
  await streaming.jsm.consumers.add(stream, config).catch(async (error: unknown) => {
    if (!(await streaming.jsm.consumers.info(stream, config.durable_name).catch(() => null))) throw error;
  });
}

/** Deletes both streams (tests and the bench clean up with it), then closes the connection. */
export async function deleteStreams(streaming: Streaming): Promise<void> {
  for (const name of [streaming.changesStream, streaming.businessEventsStream]) await streaming.jsm.streams.delete(name).catch(() => false);
  await streaming.close();
}

let shared: Promise<Streaming> | null = null;
let override: Streaming | 'off' | null = null;

/** The process's JetStream connection from the environment, opened on first use; null without NATS_URL. */
export function getStreaming(): Promise<Streaming> | null {
  if (override === 'off') return null;
  if (override) return Promise.resolve(override);
  const config = streamingConfigFromEnv();
  if (!config) return null;
  shared ??= openStreaming(config).catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}

/** Whether changes and business events go through JetStream in this process. */
export const streamingEnabled = () => currentStreamingConfig() !== null;

/**
 * The settings of this process's streams, known without connecting (messages can be queued in the outbox while
 * NATS is unreachable), or null when JetStream is not in use.
 */
export function currentStreamingConfig(): StreamingConfig | null {
  if (override === 'off') return null;
  if (override) return override.config;
  return streamingConfigFromEnv();
}

/**
 * Makes `streaming` the process's connection (the bench and tests, which use their own streams), or 'off'
 * for PostgreSQL alone whatever NATS_URL says; null goes back to NATS_URL.
 */
export function setProcessStreaming(streaming: Streaming | 'off' | null): void {
  override = streaming;
}

/** The NATS URL tests use: TEST_NATS_URL (vitest.setup.ts moves NATS_URL there), else the machine's server at 127.0.0.1:4222. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether something accepts connections at a NATS URL within a second (tests skip the JetStream path when not). */
export async function natsAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.includes('://') ? url : `nats://${url}`);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 4222) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

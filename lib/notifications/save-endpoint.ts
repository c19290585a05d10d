import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import type { PrismaClient, Tx } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { kickDeliveryConsumers } from '@/lib/notifications/delivery-consumers';
import { webhookUrlRefusal } from '@/lib/notifications/endpoint-url';
import { endpointInputSchema, type EndpointInput, type EndpointInputRaw } from '@/lib/notifications/endpoint-schema';
import { generateWebhookSecret, sealWebhookSecret } from '@/lib/notifications/secret';

const NOT_FOUND = 'That notification endpoint';

export interface CreatedEndpoint {
  id: string;
  eventType: string;
  channel: 'webhook' | 'email';
  /** The webhook's signing secret, in full: returned here and by rotateSecret only, never read back later. */
  secret: string | null;
}

/**
 * Adds a webhook endpoint (with a new signing secret, generated here and stored encrypted) or an email subscription for one
 * event type of the caller's workspace, active, audited (the audit never holds the secret). The event type
 * must be one of the workspace's triggers'. Business events stored from then on get a delivery to it.
 */
export async function createEndpoint(prisma: PrismaClient, scope: WorkspaceScope, raw: EndpointInputRaw): Promise<CreatedEndpoint> {
  const input = validInput(raw);
  const created = await prisma.$transaction(async (tx) => {
    const eventType = await existingEventType(tx, scope.workspaceId, input.eventType);
    const secret = input.channel === 'webhook' ? generateWebhookSecret() : null;
    const endpoint = await tx.notificationEndpoint.create({
      data: { workspaceId: scope.workspaceId, eventType, channel: input.channel, ...target(input), secret: secret && sealWebhookSecret(secret) },
      select: { id: true, eventType: true, channel: true },
    });
    await recordAudit(tx, scope, { action: 'notification.endpoint.created', targetType: 'notification-endpoint', targetId: endpoint.id, details: describe(eventType, input) });
    return { ...endpoint, secret };
  });
  // With JetStream, its workspace may need a delivery consumer now (other processes find it within 5 s).
  kickDeliveryConsumers();
  return created;
}

/** Changes an endpoint's event type and URL (webhook) or recipients (email); its channel and secret stay. Audited. */
export async function updateEndpoint(prisma: PrismaClient, scope: WorkspaceScope, id: string, raw: EndpointInputRaw): Promise<{ id: string }> {
  const input = validInput(raw);
  return prisma.$transaction(async (tx) => {
    const current = await owned(tx, scope.workspaceId, id);
    if (current.channel !== input.channel) throw new AppError('CHANNEL_FIXED', `This is ${current.channel === 'webhook' ? 'a webhook endpoint' : 'an email subscription'}; add a new one to use ${input.channel}.`, { status: 409 });
    const eventType = await existingEventType(tx, scope.workspaceId, input.eventType);
    await tx.notificationEndpoint.update({ where: { id }, data: { eventType, ...target(input) } });
    await recordAudit(tx, scope, { action: 'notification.endpoint.updated', targetType: 'notification-endpoint', targetId: id, details: describe(eventType, input) });
    return { id };
  });
}

/** Enables or disables an endpoint (a disabled one gets no new deliveries and its queued ones wait), audited. */
export async function setEndpointActive(prisma: PrismaClient, scope: WorkspaceScope, id: string, active: boolean): Promise<{ id: string; active: boolean }> {
  return prisma.$transaction(async (tx) => {
    await owned(tx, scope.workspaceId, id);
    await tx.notificationEndpoint.update({ where: { id }, data: { active, disabledReason: active ? null : `Disabled by ${scope.actor.label} at ${new Date().toISOString()}.` } });
    await recordAudit(tx, scope, { action: active ? 'notification.endpoint.enabled' : 'notification.endpoint.disabled', targetType: 'notification-endpoint', targetId: id });
    return { id, active };
  });
}

/** A new signing secret for a webhook endpoint, returned once in full (stored encrypted); the old one stops working at once. Audited. */
export async function rotateSecret(prisma: PrismaClient, scope: WorkspaceScope, id: string): Promise<{ id: string; secret: string }> {
  return prisma.$transaction(async (tx) => {
    const current = await owned(tx, scope.workspaceId, id);
    if (current.channel !== 'webhook') throw new AppError('NO_SECRET', 'Email subscriptions have no signing secret.', { status: 409 });
    const secret = generateWebhookSecret();
    await tx.notificationEndpoint.update({ where: { id }, data: { secret: sealWebhookSecret(secret) } });
    await recordAudit(tx, scope, { action: 'notification.endpoint.secret-rotated', targetType: 'notification-endpoint', targetId: id });
    return { id, secret };
  });
}

/** Deletes an endpoint with its deliveries and their log, audited. */
export async function deleteEndpoint(prisma: PrismaClient, scope: WorkspaceScope, id: string): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    const current = await owned(tx, scope.workspaceId, id);
    await tx.notificationEndpoint.delete({ where: { id } });
    await recordAudit(tx, scope, { action: 'notification.endpoint.deleted', targetType: 'notification-endpoint', targetId: id, details: { eventType: current.eventType, channel: current.channel } });
    return { id };
  });
}

function validInput(raw: EndpointInputRaw): EndpointInput {
  const input = endpointInputSchema.parse(raw);
  if (input.channel === 'webhook') {
    const refusal = webhookUrlRefusal(input.url);
    if (refusal) throw new AppError('URL_REFUSED', 'Some fields need attention.', { fieldErrors: { url: [refusal] } });
  }
  return input;
}

function target(input: EndpointInput) {
  return input.channel === 'webhook' ? { url: input.url, recipients: [] } : { url: null, recipients: input.recipients };
}

function describe(eventType: string, input: EndpointInput) {
  return input.channel === 'webhook' ? { eventType, channel: 'webhook', url: input.url } : { eventType, channel: 'email', recipients: input.recipients };
}

async function owned(tx: Tx, workspaceId: string, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  const endpoint = await tx.notificationEndpoint.findFirst({ where: { id, workspaceId }, select: { channel: true, eventType: true } });
  if (!endpoint) throw notFound(NOT_FOUND);
  return endpoint;
}

/** The event type as a trigger of the workspace spells it; refused when no trigger has it. */
async function existingEventType(tx: Tx, workspaceId: string, eventType: string): Promise<string> {
  const trigger = await tx.trigger.findFirst({ where: { workspaceId, eventType: { equals: eventType, mode: 'insensitive' } }, select: { eventType: true } });
  if (!trigger) {
    throw new AppError('NO_SUCH_EVENT_TYPE', 'Some fields need attention.', {
      fieldErrors: { eventType: [`No trigger makes “${eventType}” events in this workspace: choose an event type of a trigger, or create the trigger first.`] },
    });
  }
  return trigger.eventType;
}

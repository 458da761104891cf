import type { FastifyReply } from 'fastify';
import type { CommandResult } from '@coord/event-store';

/** Every command response carries the stream version (also as ETag, for If-Match) and the global position. */
export function commandResponse<T extends object>(reply: FastifyReply, result: CommandResult, body: T): T & { version: number; position: number } {
  void reply.header('etag', `"${result.version}"`);
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return { ...body, version: result.version, position: result.position };
}

/** The data of the first event of a given type in a command's result (works for idempotent replays too). */
export function eventData<D>(result: CommandResult, type: string): D {
  const e = result.events.find((x) => x.type === type);
  if (!e) throw new Error(`command result has no ${type} event`);
  return e.data as D;
}

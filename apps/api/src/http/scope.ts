import type { Actor } from '@coord/domain';

/** The agency an actor's reads are restricted to; undefined for office, leadership and auditors (whole county). */
export const scopeOf = (actor: Actor): string | undefined => (actor.role === 'agency' ? actor.agency ?? '\u0000no-agency' : undefined);

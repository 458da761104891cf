import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { concatMap, from, map, type Observable } from 'rxjs';
import type { Actor } from '@coord/domain';
import { AccessAuditService } from './access-audit.service';
import { AUDITED_ROUTES } from './audited-routes';

interface AuditedRequest {
  method: string;
  params?: Record<string, string | undefined>;
  routeOptions?: { url?: string };
  actor?: Actor;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Global: after an audited route (AUDITED_ROUTES) succeeded, and BEFORE its response is returned, the
 * access is appended as an event. Failing to record fails the request (an unrecorded read of a case file
 * is worse than a refused one). Only the route pattern and the record's id are kept: never the query
 * string, the body or anything from the response.
 */
@Injectable()
export class AccessAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AccessAuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const key = `${request.method} ${request.routeOptions?.url ?? ''}`;
    const route = AUDITED_ROUTES[key];
    if (!route || !request.actor) return next.handle();
    const actor = request.actor;
    const subjectId = route.subjectName ?? (route.subjectParam ? request.params?.[route.subjectParam] : undefined);
    const correlation = request.headers['x-correlation-id'];
    return next.handle().pipe(
      concatMap((body) =>
        from(
          this.audit.record(
            actor,
            { subjectKind: route.subjectKind, ...(subjectId !== undefined ? { subjectId } : {}), action: route.action, route: key },
            typeof correlation === 'string' && /^[\w.:-]{1,128}$/.test(correlation) ? correlation : undefined,
          ),
        ).pipe(map(() => body)),
      ),
    );
  }
}

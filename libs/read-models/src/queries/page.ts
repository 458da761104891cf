/** Paging shared by the list queries: bounded so that no request can ask for a whole table. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export const MAX_PAGE_SIZE = 500;

export function pageOf(req: PageRequest): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(req.limit ?? 50), 1), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(req.offset ?? 0), 0);
  return { limit, offset };
}

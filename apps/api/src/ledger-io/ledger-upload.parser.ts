import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv';

/**
 * Ledger files are uploaded as the raw request body (Content-Type: the XLSX type or text/csv), not as
 * multipart or base64 JSON: no extra dependency, no 33 % inflation, and the file's bytes are exactly what
 * the SHA-256 of the import manifest is taken over. The global JSON body limit (64 KiB by default) stays
 * as it is; only these two content types get a larger one, large enough for a county's ledgers.
 */
export const LEDGER_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

@Injectable()
export class LedgerUploadParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const type of [XLSX_MIME, CSV_MIME]) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: LEDGER_UPLOAD_LIMIT_BYTES }, (_req, body, done) => done(null, body));
    }
  }
}

import type { FastifyReply } from 'fastify';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A file download with its Chinese name intact: RFC 6266 / 8187 `filename*=UTF-8''…` for every modern
 * client, and an ASCII `filename` fallback for the rest (a Chinese name in the plain parameter would be
 * mangled or refused by some proxies).
 */
export function download(reply: FastifyReply, file: Buffer, contentType: string, name: string, asciiFallback: string): Buffer {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  void reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`)
    .header('cache-control', 'no-store');
  return file;
}

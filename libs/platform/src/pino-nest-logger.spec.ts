import { Writable } from 'node:stream';
import { createPinoLogger, PinoNestLogger } from './pino-nest-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('PinoNestLogger', () => {
  it('writes one JSON object per line with the Nest context', () => {
    const { lines, stream } = capture();
    new PinoNestLogger(createPinoLogger('info', stream)).log('seeded 10 member agencies', 'bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', context: 'bootstrap', msg: 'seeded 10 member agencies', service: 'coordination' });
  });

  it('redacts informant, password and authorization fields should an object ever be logged', () => {
    const { lines, stream } = capture();
    const log = createPinoLogger('info', stream);
    log.info({ informant: { name: '李某', contact: '139' }, body: { password: 'secret', informant: { name: '李某' } }, headers: { authorization: 'Bearer x' } }, 'oops');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('李某');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('Bearer x');
    expect(text).toContain('[redacted]');
  });

  it('redacts through the Nest logger path too: an object handed to Logger.log is not serialised past the redaction', () => {
    const { lines, stream } = capture();
    const logger = new PinoNestLogger(createPinoLogger('info', stream));
    logger.log({ informant: { name: '李某', contact: '139' }, leadId: 'l1' }, 'leads');
    logger.error({ confidential: { informant: { name: '李某' } } }, undefined, 'leads');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('李某');
    expect(lines[0]).toMatchObject({ context: 'leads', leadId: 'l1', informant: '[redacted]' });
  });

  it('respects the level: debug lines are dropped at info', () => {
    const { lines, stream } = capture();
    const logger = new PinoNestLogger(createPinoLogger('info', stream));
    logger.debug('noise', 'x');
    logger.warn('careful', 'y');
    expect(lines.map((l) => l.msg)).toEqual(['careful']);
  });
});

import { KeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedSerializer', () => {
  it('given tasks with one key, when run together, then they run one at a time in order', async () => {
    const s = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([s.run('k', task('a')), s.run('k', task('b')), s.run('k', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('given different keys, then tasks overlap', async () => {
    const s = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([s.run('x', task('a')), s.run('y', task('b'))]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });

  it('a failing task rejects its caller but does not block the queue', async () => {
    const s = new KeyedSerializer();
    const failed = s.run('k', async () => {
      throw new Error('boom');
    });
    const next = s.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});

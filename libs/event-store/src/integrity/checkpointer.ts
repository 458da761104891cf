import type { CheckpointSigner } from './checkpoint-signing';
import type { Checkpoint, IntegrityLog } from './integrity-log';

/**
 * Signs a checkpoint at the current head of the log (on demand), or only when at least `every` events
 * were appended since the last checkpoint (periodic). It signs the hash the store wrote for the head
 * event; it does not re-verify the chain (that is `verifyIntegrity`'s job, and a full walk per checkpoint
 * would cost O(log) each time). Several processes may run one: the checkpoints table's primary key on
 * position makes a duplicate a no-op.
 */
export async function signCheckpoint(log: IntegrityLog, signer: CheckpointSigner, options: { every?: number } = {}): Promise<Checkpoint | null> {
  const head = await log.chainHead();
  if (!head || head.hash === null) return null;
  const last = await log.lastCheckpoint();
  if (last && last.position >= head.position) return null;
  if (options.every !== undefined && head.position - (last?.position ?? 0) < options.every) return null;
  const cp = signer.sign(head.position, head.hash);
  return (await log.saveCheckpoint(cp)) ? cp : null;
}

/**
 * Runs `signCheckpoint(every)` on a timer. Polling (not the store's in-process onAppended) so it works the
 * same in every profile and process; the timer is unref'd so it never keeps a process alive.
 */
export class PeriodicCheckpointer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: IntegrityLog,
    private readonly signer: CheckpointSigner,
    private readonly every: number,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0 || this.every <= 0) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => signCheckpoint(this.log, this.signer, { every: this.every }).catch(this.onError));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

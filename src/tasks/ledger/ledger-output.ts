import { finished } from 'node:stream/promises';

/**
 * The caller's stream, written with backpressure. It listens for 'error' and 'close' for the
 * whole export rather than only while waiting for 'drain': a stream that failed between two
 * writes never emits either again, and a wait begun after that would hold the DB cursor forever.
 */
export class LedgerOutput {
  private failure: Error | undefined;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on('error', this.onError);
    out.on('close', this.onClose);
    out.on('drain', this.onDrain);
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.out.writable) throw new Error('ledger export: output is no longer writable');
    if (this.out.write(data)) return;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting = { resolve, reject };
    });
  }

  /** Ends the stream and waits until everything written has been flushed. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.out.end();
    await finished(this.out, { readable: false, cleanup: true });
  }

  release(): void {
    this.out.off('error', this.onError);
    this.out.off('close', this.onClose);
    this.out.off('drain', this.onDrain);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }

  private readonly onError = (error: Error): void => this.fail(error);

  // 'close' also follows a normal 'finish'; by then nothing waits, so recording it is harmless.
  private readonly onClose = (): void =>
    this.fail(new Error('ledger export: output closed before the export finished'));

  private readonly onDrain = (): void => {
    this.waiting?.resolve();
    this.waiting = undefined;
  };
}

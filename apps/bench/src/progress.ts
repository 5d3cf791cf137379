import { Presets, SingleBar } from 'cli-progress';

/** Shows how far one run has got: a bar on a terminal, a few plain lines in a log. */
export interface RunProgress {
  start(label: string, total: number): void;
  advance(count?: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): RunProgress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements RunProgress {
  private readonly bar: SingleBar;

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new SingleBar(
      { stream, format: '{label} [{bar}] {value}/{total} {percentage}% {duration}s', clearOnComplete: true, hideCursor: true },
      Presets.shades_classic,
    );
  }

  start(label: string, total: number): void {
    this.bar.start(total, 0, { label: label.padEnd(28) });
  }

  advance(count = 1): void {
    this.bar.increment(count);
  }

  stop(): void {
    this.bar.stop();
  }
}

/** Logs are read afterwards: a line per quarter says the run was alive without flooding them. */
class LineProgress implements RunProgress {
  private label = '';
  private total = 0;
  private done = 0;
  private nextQuarter = 1;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.nextQuarter = 1;
    this.stream.write(`${label}: ${total} requests\n`);
  }

  advance(count = 1): void {
    this.done += count;
    while (this.nextQuarter < 4 && this.done >= (this.total * this.nextQuarter) / 4) {
      this.stream.write(`${this.label}: ${this.nextQuarter * 25}% (${this.done}/${this.total})\n`);
      this.nextQuarter += 1;
    }
  }

  stop(): void {
    this.stream.write(`${this.label}: done (${this.done}/${this.total})\n`);
  }
}

/** For runs nobody watches (warm-ups, tests). */
export const SILENT_PROGRESS: RunProgress = { start: () => undefined, advance: () => undefined, stop: () => undefined };

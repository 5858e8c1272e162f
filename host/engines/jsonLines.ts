// JSON lines from a process's stream: split on '\n' across chunk boundaries, each line parsed and
// validated by the caller's guard. A line longer than `maxLine` is dropped whole (its bytes are
// skipped up to the next newline, never buffered), so a runaway writer cannot fill the host's memory.
import { StringDecoder } from 'node:string_decoder';

export interface LineReaderOptions<T> {
  /** Returns the message, or undefined when the value is not one (dropped and reported). */
  validate: (value: unknown) => T | undefined;
  onMessage: (message: T) => void;
  /** A line that is not JSON, not a valid message, or too long; `line` is at most 200 characters of it. */
  onMalformed: (why: string, line: string) => void;
  /** Longest accepted line in characters (a stats part is under 64 KB, picked feature maps can be larger; default 16 MB). */
  maxLine?: number;
}

export class JsonLineReader<T> {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Inside a line already too long: skip to its end. */
  private skipping = false;
  private readonly maxLine: number;

  constructor(private readonly o: LineReaderOptions<T>) {
    this.maxLine = o.maxLine ?? 16 * 1024 * 1024;
  }

  push(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    while (text.length > 0) {
      const nl = text.indexOf('\n');
      if (this.skipping) {
        if (nl < 0) return;
        this.skipping = false;
        text = text.slice(nl + 1);
        continue;
      }
      if (nl < 0) {
        this.pending += text;
        if (this.pending.length > this.maxLine) this.tooLong();
        return;
      }
      const line = this.pending + text.slice(0, nl);
      this.pending = '';
      text = text.slice(nl + 1);
      if (line.length > this.maxLine) this.o.onMalformed(`a line of ${line.length} characters (the limit is ${this.maxLine})`, line.slice(0, 200));
      else this.line(line);
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (!this.skipping && rest.trim()) this.line(rest);
    this.skipping = false;
  }

  private tooLong(): void {
    this.o.onMalformed(`a line longer than ${this.maxLine} characters`, this.pending.slice(0, 200));
    this.pending = '';
    this.skipping = true;
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.o.onMalformed('not JSON', line.slice(0, 200));
      return;
    }
    const message = this.o.validate(value);
    if (message === undefined) this.o.onMalformed('not a message of the protocol', line.slice(0, 200));
    else this.o.onMessage(message);
  }
}

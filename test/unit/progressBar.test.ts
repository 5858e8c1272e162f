// The CLI's progress line: time left and samples/s from a fake clock, messages above the bar
// with the bar drawn again below them, and 100% at the end of a completed run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, ProgressBar } from '../../cli/progressBar';

function screen() {
  let raw = '';
  return {
    out: { write: (t: string) => void (raw += t) },
    /** The terminal as a person sees it: every \r\x1b[K clears the current line. */
    lines: (): string[] => {
      const shown: string[] = [''];
      for (const part of raw.split(/(\r\x1b\[K|\n)/)) {
        if (part === '\r\x1b[K') shown[shown.length - 1] = '';
        else if (part === '\n') shown.push('');
        else shown[shown.length - 1] += part;
      }
      return shown.filter((l) => l !== '');
    },
  };
}

/** A bar drawn on a fake screen (`columns` wide, when given) and read from a fake clock that `at(ms)` sets. */
function barOnScreen(epochs: number, trainSamples: number, columns?: number) {
  let now = 0;
  const s = screen();
  const bar = new ProgressBar({ ...s.out, columns }, epochs, trainSamples, () => now, 0);
  return { bar, lines: s.lines, at: (ms: number) => void (now = ms) };
}

test('time left and samples/s follow the clock; the bar ends at 100% on a completed run', () => {
  const { bar, lines, at } = barOnScreen(10, 1000);
  at(2000);
  bar.update(2, 0.5);
  let last = lines().at(-1) as string;
  assert.match(last, /20%/);
  assert.match(last, /epoch 2\/10/);
  assert.match(last, /0:02 elapsed/);
  assert.match(last, /0:08 left/);
  assert.match(last, /1000 samples\/s/);
  at(9000);
  bar.update(9.5, 0.1);
  bar.done(true);
  last = lines().at(-1) as string;
  assert.match(last, /100%/);
  assert.match(last, /epoch 10\/10/);
  assert.match(last, /0:00 left/);
});

test('a message goes above the bar and the bar is drawn again below it', () => {
  const { bar, lines, at } = barOnScreen(4, 100);
  at(1000);
  bar.update(1, 0.3);
  bar.message('info: Saved the trained model');
  const shown = lines();
  assert.equal(shown.length, 2);
  assert.equal(shown[0], 'info: Saved the trained model');
  assert.match(shown[1] as string, /25% · epoch 1\/4/);
});

test('a stopped run keeps the bar where it stopped; narrow terminals get a cut line', () => {
  const { bar, lines, at } = barOnScreen(10, 100, 40);
  at(500);
  bar.update(3, 0.2);
  bar.done(false);
  const last = lines().at(-1) as string;
  assert.match(last, /30%/);
  assert.ok(last.length <= 39, last);
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65_000), '1:05');
  assert.equal(formatDuration(3_725_000), '1:02:05');
});

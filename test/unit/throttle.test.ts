// A throttled status line shows the newest state at the end of every interval, never a stale one.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { throttleLatest } from '../../common/throttle';

test('calls inside the interval are not lost: the newest runs at its end, once', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    const seen: number[] = [];
    const t = throttleLatest((epoch: number) => seen.push(epoch), 250);
    t(1);
    for (let e = 2; e <= 9; e++) {
      mock.timers.tick(20);
      t(e);
    }
    assert.deepEqual(seen, [1], 'the first call runs at once, the rest wait');
    mock.timers.tick(250);
    assert.deepEqual(seen, [1, 9], 'the newest state, at the end of the interval');
    mock.timers.tick(1000);
    assert.deepEqual(seen, [1, 9], 'nothing more when nothing new came');
    t(10);
    assert.deepEqual(seen, [1, 9, 10], 'after a quiet interval a call runs at once');
    t(11);
    t.flush();
    assert.deepEqual(seen, [1, 9, 10, 11], 'flush runs the pending call now');
    t(12);
    t.dispose();
    mock.timers.tick(1000);
    assert.deepEqual(seen, [1, 9, 10, 11], 'dispose drops what was pending');
  } finally {
    mock.timers.reset();
  }
});

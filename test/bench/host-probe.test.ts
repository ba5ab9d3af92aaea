import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostProbe } from '../../bench/host-probe';

describe('hostProbe', () => {
  it('times the loop: eight times the iterations take longer', () => {
    hostProbe(1e6); // compiled before timing
    const short = Math.min(hostProbe(2e6), hostProbe(2e6));
    const long = Math.min(hostProbe(1.6e7), hostProbe(1.6e7));
    assert.ok(short > 0 && Number.isFinite(short), `short ${short}`);
    assert.ok(long > 2 * short, `long ${long} s, short ${short} s`);
  });
});

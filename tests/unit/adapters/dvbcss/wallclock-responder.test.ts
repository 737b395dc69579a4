import { strict as assert } from 'node:assert';
import { declaredUnits, measurePrecisionSeconds, wallClockParameters } from '../../../../adapters/dvbcss/wallclock-responder.js';
import { ManualClock } from '../../../support/dvbcss/playback-double.js';

describe('wallclock-responder', () => {
  describe('#measurePrecisionSeconds', () => {
    it('takes the median step of a clock that moves', () => {
      let ns = 0n;
      const clock = Object.assign(new ManualClock(), { monotonicNs: () => (ns += 40n) });
      assert.equal(measurePrecisionSeconds(clock, 100), 40e-9);
    });

    it('falls back to 1 µs for a clock that never moves', () => {
      assert.equal(measurePrecisionSeconds(new ManualClock(), 100), 1e-6);
    });
  });

  describe('#wallClockParameters', () => {
    it('uses a configured precision and encodes the mfe', () => {
      const p = wallClockParameters(new ManualClock(), { precisionLog2: -20, maxFreqErrorPpm: 500, followUp: true });
      assert.deepEqual(p, { precisionLog2: -20, maxFreqError: 128000, followUp: true });
      assert.deepEqual(declaredUnits(p), { precisionSeconds: 2 ** -20, maxFreqErrorPpm: 500 });
    });

    it('measures the precision when none is configured', () => {
      const p = wallClockParameters(new ManualClock(), { maxFreqErrorPpm: 50, followUp: false });
      assert.equal(p.precisionLog2, -19);
      assert.equal(p.maxFreqError, 12800);
    });
  });
});

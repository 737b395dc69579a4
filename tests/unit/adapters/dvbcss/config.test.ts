import { strict as assert } from 'node:assert';
import { dvbcssAdapter } from '../../../../adapters/dvbcss/index.js';

describe('dvbcssAdapter', () => {
  describe('#configSchema', () => {
    it('accepts {} and fills defaults, disabled by default', () => {
      const r = dvbcssAdapter.configSchema.safeParse({});
      assert.ok(r.success);
      assert.equal(r.data.enabled, false);
      assert.equal(r.data.wsPort, 7681);
      assert.equal(r.data.wcPort, 6677);
      assert.equal(r.data.wcMaxFreqErrorPpm, 500);
      assert.equal(r.data.driftToleranceMs, 100);
      assert.equal(r.data.wcPrecisionLog2, undefined);
      assert.equal(r.data.settleMs, 1500);
      assert.equal(r.data.companionHost, undefined);
    });

    it('rejects unknown keys and out-of-range values', () => {
      assert.equal(dvbcssAdapter.configSchema.safeParse({ flurble: 1 }).success, false);
      assert.equal(dvbcssAdapter.configSchema.safeParse({ wsPort: 70000 }).success, false);
      assert.equal(dvbcssAdapter.configSchema.safeParse({ driftToleranceMs: 0 }).success, false);
      assert.equal(dvbcssAdapter.configSchema.safeParse({ settleMs: -1 }).success, false);
      assert.equal(dvbcssAdapter.configSchema.safeParse({ companionHost: '' }).success, false);
    });
  });

  describe('#deviceSchema', () => {
    it('takes follow scope and tolerance overrides, nothing else', () => {
      assert.ok(dvbcssAdapter.deviceSchema.safeParse({ follow: 'any-user', driftToleranceMs: 50 }).success);
      assert.ok(dvbcssAdapter.deviceSchema.safeParse({}).success);
      assert.equal(dvbcssAdapter.deviceSchema.safeParse({ follow: 'everyone' }).success, false);
      assert.equal(dvbcssAdapter.deviceSchema.safeParse({ wsPort: 1 }).success, false);
    });
  });

  describe('#deviceDefaults', () => {
    it('follows only the own user and takes the global tolerance', () => {
      const r = dvbcssAdapter.configSchema.safeParse({ driftToleranceMs: 250 });
      assert.ok(r.success);
      assert.deepEqual(dvbcssAdapter.deviceDefaults(r.data), { follow: 'own-user', driftToleranceMs: 250 });
    });
  });

  describe('#create', () => {
    it('is named and described for the manifest', () => {
      assert.equal(dvbcssAdapter.id, 'dvbcss');
      assert.deepEqual(dvbcssAdapter.defaultPorts, { ws: 7681, wc: 6677 });
      assert.deepEqual(dvbcssAdapter.migrations, []);
    });
  });
});

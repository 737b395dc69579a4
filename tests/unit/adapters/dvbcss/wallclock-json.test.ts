import { strict as assert } from 'node:assert';
import { buildWcJsonResponse, nsToSeconds, parseWcJsonRequest } from '../../../../adapters/dvbcss/wallclock-json.js';

describe('wallclock-json', () => {
  describe('#parseWcJsonRequest', () => {
    it("reads BBC's JSON request", () => {
      assert.deepEqual(parseWcJsonRequest('{"v":0,"t":0,"p":0,"mfe":0,"otvs":12,"otvn":345,"rt":0,"tt":0}'), { otvs: 12, otvn: 345 });
    });
    it('rejects other versions, types and shapes', () => {
      for (const t of ['{"v":1,"t":0,"otvs":1,"otvn":1}', '{"v":0,"t":1,"otvs":1,"otvn":1}', '{"v":0,"t":0,"otvs":"1","otvn":1}', '{"v":0,"t":0,"otvs":1.5,"otvn":1}', '[]', 'x', 'null']) {
        assert.equal(parseWcJsonRequest(t), undefined, t);
      }
    });
  });

  describe('#buildWcJsonResponse', () => {
    it('echoes the originate fields and gives times in seconds, precision in seconds and mfe in ppm', () => {
      const text = buildWcJsonResponse({ otvs: 12, otvn: 345 }, 1, 2 ** -20, 500, 5_000_000_001n, 5_500_000_000n);
      assert.deepEqual(JSON.parse(text), { v: 0, t: 1, p: 2 ** -20, mfe: 500, otvs: 12, otvn: 345, rt: 5.000000001, tt: 5.5 });
    });
  });

  describe('#nsToSeconds', () => {
    it('keeps nanoseconds of large values', () => {
      assert.equal(nsToSeconds(1_234_567_000_000_001n), 1_234_567.000000001);
    });
  });
});

import { strict as assert } from 'node:assert';
import { buildTivoHeader, parseTivoHeader } from '../../../../adapters/tivo/tivo-header.js';
import { captureBody, captureHex } from './helpers.js';

describe('buildTivoHeader', () => {
  const xml = captureBody('11-TVBusQuery-details.txt');

  it('matches the bytes pyTivo sent for the same 3803-byte XML (transcript 20)', () => {
    assert.equal(Buffer.byteLength(xml), 0x0edb);
    const raw = captureHex('20-GET-transcode-S2.txt');
    const expected = raw.subarray(6); // after the "2000\r\n" chunk-size line
    const header = buildTivoHeader(xml);
    assert.equal(header.length, 8192);
    assert.deepEqual(header.subarray(0, expected.length), expected);
  });

  it('rounds the total to 1024 bytes as in transcript 22 (0x0DCC XML → 7168)', () => {
    const header = buildTivoHeader('x'.repeat(0x0dcc));
    assert.equal(header.length, 7168);
    assert.equal(header.readUInt32BE(16), 0x0ddc);
    const expected = captureHex('22-GET-compatible-S2.txt').subarray(0, 28);
    assert.deepEqual(header.subarray(0, 26), expected.subarray(0, 26));
  });

  it('reads back its own chunks', () => {
    const info = parseTivoHeader(buildTivoHeader('<a>é &amp; b</a>'));
    assert.equal(info?.flags, 13);
    assert.deepEqual(
      info?.chunks.map((c) => [c.id, c.type, c.payload]),
      [
        [1, 0, '<a>é &amp; b</a>'],
        [2, 0, '<a>é &amp; b</a>'],
      ],
    );
  });

  it('says undefined for bytes without a header', () => {
    assert.equal(parseTivoHeader(Buffer.from([0, 0, 1, 0xba])), undefined);
  });
});

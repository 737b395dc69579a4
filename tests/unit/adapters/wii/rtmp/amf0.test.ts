import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { AmfEcmaArray, decodeAmf0, encodeAmf0 } from '../../../../../adapters/wii/rtmp/amf0.js';
import { ChunkReader } from '../../../../../adapters/wii/rtmp/chunk.js';
import { SidecarError } from '../../../../../plugin/index.js';
import { fixturePath } from '../../../../support/paths.js';

interface Packet {
  readonly direction: string;
  readonly hex: string;
}
const fixture = JSON.parse(readFileSync(fixturePath('wii', 'nginx-rtmp-02-packets.json'), 'utf8')) as { packets: Packet[] };

/** Reassembles the server's messages from the capture (nginx-rtmp 1.2.2). */
function serverMessages(): ReturnType<ChunkReader['push']> {
  const reader = new ChunkReader({ maxMessageLength: 1 << 20 });
  return fixture.packets.filter((p) => p.direction === 'server->client').flatMap((p) => reader.push(Buffer.from(p.hex, 'hex')));
}

describe('AMF0', () => {
  describe('decodeAmf0', () => {
    it('decodes rtmpdump’s connect command from the capture', () => {
      const reader = new ChunkReader();
      const [connect] = reader.push(Buffer.from(fixture.packets[0]!.hex, 'hex'));
      assert.ok(connect);
      const values = decodeAmf0(connect.payload);
      assert.deepEqual(values.slice(0, 2), ['connect', 1]);
      assert.deepEqual({ ...(values[2] as object) }, {
        app: 'vod',
        flashVer: 'LNX 10,0,32,18',
        tcUrl: 'rtmp://127.0.0.1:1935/vod',
        fpad: false,
        capabilities: 15,
        audioCodecs: 3191,
        videoCodecs: 252,
        videoFunction: 1,
      });
    });

    it('decodes nginx’s onMetaData ECMA array', () => {
      const meta = serverMessages().find((m) => m.type === 18 && decodeAmf0(m.payload)[0] === 'onMetaData');
      assert.ok(meta);
      const [, data] = decodeAmf0(meta.payload) as [string, Record<string, unknown>];
      assert.equal(data['duration'], 120.05);
      assert.equal(data['videocodecid'], 2);
      assert.equal(data['stereo'], false);
      assert.equal(data['encoder'], 'Lavf59.27.100');
    });

    it('decodes strict arrays, null, undefined, dates and long strings', () => {
      const long = 'x'.repeat(70_000);
      const values = decodeAmf0(encodeAmf0([1, 'a', null], undefined, new Date(1000), long));
      assert.deepEqual(values.slice(0, 2), [[1, 'a', null], undefined]);
      assert.equal((values[2] as Date).getTime(), 1000);
      assert.equal(values[3], long);
    });

    it('rejects truncated values and unknown markers with ERR_WII_AMF_DECODE', () => {
      for (const bad of [Buffer.from([0x00, 0x3f]), Buffer.from([0x42, 0x42]), Buffer.from([0x02, 0x00, 0x10, 0x41]), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff])]) {
        assert.throws(() => decodeAmf0(bad), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_WII_AMF_DECODE');
      }
    });

    it('refuses nesting deeper than the limit', () => {
      const oneElementArray = Buffer.from([0x0a, 0, 0, 0, 1]);
      const deep = Buffer.concat([...Array.from({ length: 40 }, () => oneElementArray), Buffer.from([0x05])]);
      assert.throws(() => decodeAmf0(deep), SidecarError);
    });
  });

  describe('encodeAmf0', () => {
    it('writes the connect _result byte for byte as nginx-rtmp does', () => {
      const nginx = serverMessages().find((m) => m.type === 20 && decodeAmf0(m.payload)[1] === 1);
      assert.ok(nginx);
      const ours = encodeAmf0('_result', 1, { fmsVer: 'FMS/3,0,1,123', capabilities: 31 }, { level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 });
      assert.equal(ours.toString('hex'), nginx.payload.toString('hex'));
    });

    it('writes |RtmpSampleAccess as nginx-rtmp does', () => {
      const nginx = serverMessages().find((m) => m.type === 18 && decodeAmf0(m.payload)[0] === '|RtmpSampleAccess');
      assert.ok(nginx);
      assert.equal(encodeAmf0('|RtmpSampleAccess', true, true).toString('hex'), nginx.payload.toString('hex'));
    });

    it('writes an ECMA array with its count for AmfEcmaArray', () => {
      const bytes = encodeAmf0(new AmfEcmaArray({ duration: 4 }));
      assert.equal(bytes.toString('hex'), '08' + '00000001' + '0008' + Buffer.from('duration').toString('hex') + '00' + '4010000000000000' + '000009');
    });
  });
});

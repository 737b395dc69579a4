import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { ChunkReader, ChunkWriter, type RtmpMessage } from '../../../../../adapters/wii/rtmp/chunk.js';
import { command, status, userControl } from '../../../../../adapters/wii/rtmp/messages.js';
import { SidecarError } from '../../../../../plugin/index.js';
import { fixturePath } from '../../../../support/paths.js';

interface Packet {
  readonly direction: string;
  readonly hex: string;
}
const fixture = JSON.parse(readFileSync(fixturePath('wii', 'nginx-rtmp-02-packets.json'), 'utf8')) as { packets: Packet[] };
const bytesOf = (direction: string): Buffer[] => fixture.packets.filter((p) => p.direction === direction).map((p) => Buffer.from(p.hex, 'hex'));

function isProtocolError(e: unknown): boolean {
  return e instanceof SidecarError && e.code === 'ERR_WII_RTMP_PROTOCOL';
}

describe('ChunkReader', () => {
  describe('#push', () => {
    it('reassembles rtmpdump’s messages from the capture, one byte at a time', () => {
      const reader = new ChunkReader();
      const wire = Buffer.concat(bytesOf('client->server'));
      const messages: RtmpMessage[] = [];
      for (let i = 0; i < wire.length; i++) messages.push(...reader.push(wire.subarray(i, i + 1)));
      assert.deepEqual(
        messages.map((m) => [m.type, m.streamId, m.payload.length]),
        [
          [20, 0, 195], // connect, split at 128 with a fmt-3 continuation
          [5, 0, 4], // Window Acknowledgement Size
          [4, 0, 10], // SetBufferLength(0, 300)
          [20, 0, 25], // createStream
          [20, 1, 33], // play on message stream 1 (little-endian stream id)
          [4, 0, 10], // SetBufferLength(1, 36000000) with a fmt-3 header
        ],
      );
      assert.equal(messages[5]!.payload.readUInt32BE(6), 36_000_000);
    });

    it('applies the server’s Set Chunk Size and fmt-1 timestamp deltas', () => {
      const reader = new ChunkReader({ maxMessageLength: 1 << 20 });
      const messages = bytesOf('server->client').flatMap((b) => reader.push(b));
      assert.equal(reader.inboundChunkSize, 4096);
      const audio = messages.filter((m) => m.type === 8);
      assert.deepEqual(
        audio.map((m) => [m.timestamp, m.payload.length]),
        [
          [0, 209],
          [26, 210],
        ],
      );
      assert.equal(messages.find((m) => m.type === 18 && m.payload.length === 293)?.streamId, 1);
    });

    it('rejects a message longer than the limit before buffering it', () => {
      const reader = new ChunkReader();
      // The capture of bad_handshake.py: a 16 MB AMF0 command length, followed by 64 bytes.
      const header = Buffer.from('03000000ffffff1400000000', 'hex');
      assert.throws(() => reader.push(Buffer.concat([header, Buffer.alloc(64, 2)])), isProtocolError);
    });

    it('rejects a fmt-3 chunk on an unknown chunk stream', () => {
      assert.throws(() => new ChunkReader().push(Buffer.from('c9deadbeef', 'hex')), isProtocolError);
    });

    it('rejects Set Chunk Size 0 and absurd sizes', () => {
      for (const size of ['00000000', '7fffffff', '80000000']) {
        assert.throws(() => new ChunkReader().push(Buffer.from('020000000000040100000000' + size, 'hex')), isProtocolError);
      }
    });

    it('rejects more chunk streams than the limit', () => {
      const reader = new ChunkReader({ maxChunkStreams: 4 });
      const parts = [3, 4, 5, 6, 7].map((csid) => Buffer.from([csid, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0]));
      assert.throws(() => parts.forEach((p) => reader.push(p)), isProtocolError);
    });

    it('reads extended timestamps, repeated on continuation chunks', () => {
      const writer = new ChunkWriter();
      const message: RtmpMessage = { type: 9, streamId: 1, timestamp: 0x1234567, payload: Buffer.alloc(300, 7) };
      const wire = writer.write(7, message);
      // 1 + 11 + 4 + 128, then (1 + 4 + 128) and (1 + 4 + 44)
      assert.equal(wire.length, 144 + 133 + 49);
      const [read] = new ChunkReader().push(wire);
      assert.equal(read?.timestamp, 0x1234567);
      assert.deepEqual(read?.payload, message.payload);
    });
  });
});

describe('ChunkWriter', () => {
  describe('#write', () => {
    it('writes onStatus NetStream.Play.Start byte for byte as nginx-rtmp does', () => {
      const nginx = bytesOf('server->client').find((b) => b.includes(Buffer.from('NetStream.Play.Start')));
      const ours = new ChunkWriter().write(5, command(1, 'onStatus', 0, null, status('status', 'NetStream.Play.Start', 'Start video on demand')));
      assert.equal(ours.toString('hex'), nginx?.toString('hex'));
    });

    it('writes StreamBegin as nginx-rtmp does', () => {
      const nginx = bytesOf('server->client').find((b) => b.toString('hex') === '020000000000060400000000000000000001');
      assert.ok(nginx);
      assert.equal(new ChunkWriter().write(2, userControl(0, 1)).toString('hex'), nginx.toString('hex'));
    });

    it('shrinks headers to fmt 1, 2 and 3 and never follows fmt 0 with fmt 3', () => {
      const w = new ChunkWriter();
      const msg = (ts: number, len: number): RtmpMessage => ({ type: 8, streamId: 1, timestamp: ts, payload: Buffer.alloc(len) });
      const fmts = [msg(0, 10), msg(26, 10), msg(52, 10), msg(78, 10), msg(100, 12), msg(90, 12)].map((m) => (w.write(6, m)[0]! >> 6));
      assert.deepEqual(fmts, [0, 2, 3, 3, 1, 0]);
      const same = new ChunkWriter();
      assert.deepEqual([same.write(6, msg(5, 4))[0]! >> 6, same.write(6, msg(5, 4))[0]! >> 6], [0, 2]);
    });

    it('round-trips through the reader after a chunk size change and a reset', () => {
      const w = new ChunkWriter();
      const r = new ChunkReader({ maxMessageLength: 1 << 20, maxChunkSize: 1 << 16 });
      const sent: RtmpMessage[] = [];
      const wire: Buffer[] = [];
      for (let i = 0; i < 20; i++) {
        if (i === 7) {
          const size: RtmpMessage = { type: 1, streamId: 0, timestamp: 0, payload: Buffer.from('00001000', 'hex') };
          wire.push(w.write(2, size));
          sent.push(size);
          w.setChunkSize(4096);
        }
        if (i === 12) w.reset(7);
        const m: RtmpMessage = { type: i % 2 ? 9 : 8, streamId: 1, timestamp: i < 12 ? i * 40 : 90_000 + i * 40, payload: Buffer.alloc(100 + i * 400, i) };
        sent.push(m);
        wire.push(w.write(i % 2 ? 7 : 6, m));
      }
      const got = r.push(Buffer.concat(wire));
      assert.deepEqual(
        got.map((m) => [m.type, m.timestamp, m.payload.length]),
        sent.map((m) => [m.type, m.timestamp, m.payload.length]),
      );
    });
  });
});

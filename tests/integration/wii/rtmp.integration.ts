import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { MessageType } from '../../../adapters/wii/rtmp/messages.js';
import type { Harness } from '../../support/adapter-harness.js';
import { ffprobeJson, hasBinary } from '../../support/media.js';
import { RtmpTestClient, type ReceivedMessage } from '../../support/wii/rtmp-test-client.js';
import { run } from './support/run.js';
import { noTranscodesLeft as noneLeft } from '../../support/adapter-harness.js';
import { clipId, rtmpPort, startWiiHarness } from './support/wii-harness.js';

const isVideoKey = (m: ReceivedMessage): boolean => m.type === MessageType.video && (m.payload[0]! >> 4) === 1;

/** Stream names: the generated clips' item ids, or any other (unknown) name as is. */
const streamName = (name: string): string => (name === 'short' || name === 'long' ? clipId(name) : name);

describe('Wii RTMP server (integration: the real sidecar, local folder, real ffmpeg transcodes)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let out: string;
  const clients: RtmpTestClient[] = [];
  const url = (name: string, app = 'wii'): string => `rtmp://127.0.0.1:${rtmpPort(harness)}/${app}/${streamName(name)}`;

  before(async function () {
    for (const bin of ['ffmpeg', 'ffprobe', 'rtmpdump']) {
      if (!(await hasBinary(bin))) this.skip(); // a peer binary is missing (apt-get install ffmpeg rtmpdump)
    }
    harness = await startWiiHarness();
    out = mkdtempSync(join(tmpdir(), 'wii-it-'));
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  after(async () => {
    await harness?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function playClient(name: string, bufferMs: number, startMs = -2000, handshake: 'simple' | 'digest' = 'simple'): Promise<{ client: RtmpTestClient; id: number }> {
    const client = RtmpTestClient.tcp(rtmpPort(harness), handshake);
    clients.push(client);
    await client.connect('wii');
    await client.waitStatus('NetConnection.Connect.Success');
    const id = await client.createStream();
    client.setBuffer(id, bufferMs);
    client.play(id, streamName(name), startMs);
    return { client, id };
  }

  const noTranscodesLeft = (): Promise<void> => noneLeft(harness);
  const counter = (name: string): number => harness.adapter.health().counters[name] ?? 0;

  describe('rtmpdump', () => {
    it('downloads the whole short clip: exit 0, flv1 + mp3 44.1 kHz, about 4 s', async () => {
      const file = join(out, 'short.flv');
      const r = await run('rtmpdump', ['-r', url('short'), '-o', file, '-m', '20']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Download complete/);
      const probe = await ffprobeJson(file);
      const video = probe.streams.find((s) => s.codec_type === 'video');
      const audio = probe.streams.find((s) => s.codec_type === 'audio');
      assert.equal(video?.codec_name, 'flv1');
      assert.equal(video?.width, 480);
      assert.equal(audio?.codec_name, 'mp3');
      assert.equal(audio?.sample_rate, '44100');
      assert.ok(Math.abs(Number(probe.format.duration) - 4) < 0.6, `duration ${probe.format.duration}`);
    });

    it('starts at -A 60 and stops at -B 63 with absolute timestamps', async () => {
      const file = join(out, 'a60.flv');
      const r = await run('rtmpdump', ['-r', url('long'), '-A', '60', '-B', '63', '-o', file, '-m', '20']);
      assert.equal(r.code, 0, r.stderr);
      const packets = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file]);
      // rtmpdump writes one stub tag at the start time, then adds the start time again to every
      // received timestamp (the same happens with nginx-rtmp, capture 09): subtract it.
      const times = packets.stdout.trim().split('\n').map(Number).slice(1).map((t) => t - 60);
      assert.ok(times.length > 50);
      assert.ok(Math.min(...times) >= 59.9 && Math.min(...times) <= 60.5, `first pts ${Math.min(...times)}`);
      assert.ok(Math.max(...times) < 63.1, `last pts ${Math.max(...times)}`);
    });

    it('exits 1 with NetStream.Play.StreamNotFound for an unknown item and spawns no ffmpeg', async () => {
      const before = (counter('ffmpegRestarts'));
      const r = await run('rtmpdump', ['-r', url('nosuchitem'), '-o', '/dev/null', '-m', '5']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /NetStream\.Play\.StreamNotFound/);
      assert.equal(counter('ffmpegRestarts'), before);
    });

    it('exits 1 for an unknown application', async () => {
      const r = await run('rtmpdump', ['-r', url('short', 'noapp'), '-o', '/dev/null', '-m', '5']);
      assert.equal(r.code, 1);
    });
  });

  describe('ffmpeg and ffprobe (native client, digest handshake)', () => {
    it('ffprobe reports flv1 + mp3 and the item’s real duration', async () => {
      const r = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', url('long')]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as { format: { duration?: string }; streams: { codec_name: string }[] };
      assert.deepEqual(json.streams.map((s) => s.codec_name).sort(), ['flv1', 'mp3']);
      assert.ok(Math.abs(Number(json.format.duration) - 120) < 1, `duration ${json.format.duration}`);
    });

    it('ffmpeg -ss 60 sends a real seek and gets media from 60 s', async () => {
      const runs = counter('ffmpegRestarts');
      const r = await run('ffmpeg', ['-v', 'error', '-ss', '60', '-i', url('long'), '-t', '3', '-f', 'null', '-']);
      assert.equal(r.code, 0, r.stderr);
      const p = await run('ffprobe', ['-v', 'error', '-read_intervals', '60%+1', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', url('long')]);
      assert.equal(p.code, 0, p.stderr);
      const first = Number(p.stdout.trim().split('\n')[0]);
      assert.ok(Math.abs(first - 60) <= 0.5, `first pts ${first}`);
      // Each tool needs media for avformat_find_stream_info before it seeks (~100 frames read,
      // measured), so play(-2000) gets a transcode and the seek a second one: two per tool, never more.
      assert.equal(counter('ffmpegRestarts') - runs, 4);
      await noTranscodesLeft();
    });

    it('ffprobe exits 1 for an unknown item', async () => {
      const r = await run('ffprobe', ['-v', 'error', url('nosuchitem')]);
      assert.equal(r.code, 1);
    });

    it('serves 4 concurrent ffprobe sessions', async () => {
      const results = await Promise.all([0, 1, 2, 3].map(() => run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', url('long')])));
      for (const r of results) {
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /flv1/);
      }
      await noTranscodesLeft();
    });
  });

  describe('message-level client', () => {
    it('plays from 0: statuses and onMetaData before a Sorenson keyframe, MP3 at 44.1 kHz', async () => {
      const { client } = await playClient('long', 2000, -2000, 'digest');
      await client.waitUntil(() => client.media().filter((m) => m.type === MessageType.audio).length > 3, 20_000, 'media');
      assert.equal(client.handshakeValid, true);
      const codes = client.statusCodes();
      assert.deepEqual(codes.slice(0, 3), ['NetConnection.Connect.Success', 'NetStream.Play.Reset', 'NetStream.Play.Start']);
      const meta = client.messages.find((m) => m.values?.[0] === 'onMetaData')!;
      const data = meta.values![1] as Record<string, number>;
      assert.ok(Math.abs(data['duration']! - 120) < 1);
      assert.equal(data['videocodecid'], 2);
      assert.equal(data['audiocodecid'], 2);
      const media = client.media();
      assert.ok(client.messages.indexOf(meta) < client.messages.indexOf(media[0]!));
      assert.ok(isVideoKey(media[0]!));
      assert.equal(media[0]!.payload[0]! & 0x0f, 2, 'Sorenson H.263');
      const audio = media.find((m) => m.type === MessageType.audio)!;
      assert.equal(audio.payload[0]! >> 4, 2, 'MP3');
      assert.equal((audio.payload[0]! >> 2) & 3, 3, '44 kHz');
    });

    it('seeks mid-stream: Seek.Notify, then a keyframe within 0.5 s of the target and nothing earlier', async () => {
      const { client, id } = await playClient('long', 1000);
      await client.waitUntil(() => client.media().length > 10, 20_000, 'media');
      const mark = client.messages.length;
      client.seek(id, 90_000);
      await client.waitUntil(() => client.messages.slice(mark).some(isVideoKey), 20_000, 'keyframe after seek');
      const after = client.messages.slice(mark);
      const notify = after.findIndex((m) => m.values?.some((v) => (v as Record<string, unknown> | null)?.['code'] === 'NetStream.Seek.Notify'));
      assert.ok(notify >= 0);
      const media = after.slice(notify).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(isVideoKey(media[0]!));
      assert.ok(media[0]!.timestamp >= 90_000 && media[0]!.timestamp <= 90_500, `keyframe ts ${media[0]!.timestamp}`);
      assert.ok(media.every((m) => m.timestamp >= 90_000));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(harness.composed.transcoder.active().length, 1, 'the pre-seek ffmpeg is gone');
    });

    it('seeking past the end completes cleanly and leaves no ffmpeg', async () => {
      const { client, id } = await playClient('short', 1000);
      await client.waitUntil(() => client.media().length > 3, 20_000, 'media');
      client.seek(id, 14_000);
      await client.waitStatus('NetStream.Play.Stop', 20_000);
      assert.ok(client.findStatus('NetStream.Play.Complete'));
      await noTranscodesLeft();
    });

    it('pauses (no media while paused) and resumes from the paused position', async () => {
      const { client, id } = await playClient('long', 1000);
      await client.waitUntil(() => (client.media().at(-1)?.timestamp ?? 0) >= 3000, 20_000, '3 s of media');
      client.pause(id, true, 3000);
      await client.waitStatus('NetStream.Pause.Notify');
      const mark = client.messages.length;
      const lastTs = client.media().at(-1)!.timestamp;
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(client.messages.slice(mark).filter((m) => m.type === MessageType.audio || m.type === MessageType.video).length, 0);
      client.pause(id, false, 3000);
      await client.waitStatus('NetStream.Unpause.Notify');
      await client.waitUntil(() => client.media().length > 0 && client.media().at(-1)!.timestamp > lastTs + 500, 20_000, 'media after unpause');
      const resumed = client.messages.slice(mark).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(resumed.every((m) => m.timestamp >= lastTs - 2000), 'never from 0');
    });

    it('stops the ffmpeg within 2 s when the client disconnects mid-stream', async () => {
      const { client } = await playClient('long', 1000);
      await client.waitUntil(() => client.media().length > 10, 20_000, 'media');
      assert.equal(harness.composed.transcoder.active().length, 1);
      client.close();
      await noTranscodesLeft();
    });

    it('sends _error NetConnection.Connect.InvalidApp for an unknown app', async () => {
      const client = RtmpTestClient.tcp(rtmpPort(harness));
      clients.push(client);
      await client.connect('noapp');
      await client.waitStatus('NetConnection.Connect.InvalidApp');
      await client.waitUntil(() => client.closed, 5000, 'close');
    });
  });

  describe('malformed input', () => {
    async function closedAfter(bytes: Buffer[], handshake: boolean): Promise<boolean> {
      const socket = connect({ host: '127.0.0.1', port: rtmpPort(harness) });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, 3000);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
        socket.on('connect', () => {
          const c1 = Buffer.alloc(1536);
          if (handshake) {
            socket.write(Buffer.concat([Buffer.from([3]), c1]));
            setTimeout(() => {
              socket.write(c1);
              setTimeout(() => bytes.forEach((b) => socket.write(b)), 100);
            }, 100);
          } else bytes.forEach((b) => socket.write(b));
        });
      });
    }

    it('closes bad C0, RTMPE, HTTP, partial handshakes, silence, huge lengths, garbage AMF, unknown fmt-3 and absurd chunk sizes — and keeps serving', async () => {
      const cases: [string, Buffer[], boolean][] = [
        ['C0 0xff', [Buffer.concat([Buffer.from([0xff]), Buffer.alloc(1536)])], false],
        ['RTMPE', [Buffer.concat([Buffer.from([6]), Buffer.alloc(1536)])], false],
        ['HTTP request', [Buffer.from('GET / HTTP/1.0\r\n\r\n')], false],
        ['partial C1 then silence', [Buffer.concat([Buffer.from([3]), Buffer.alloc(100)])], false],
        ['silence', [], false],
        ['16 MB command', [Buffer.concat([Buffer.from('03000000ffffff1400000000', 'hex'), Buffer.alloc(64, 2)])], true],
        ['garbage AMF', [Buffer.concat([Buffer.from('030000000000101400000000', 'hex'), Buffer.alloc(16, 0x42)])], true],
        ['fmt 3 on unknown csid', [Buffer.concat([Buffer.from([0xc9]), Buffer.alloc(64, 1)])], true],
        ['SetChunkSize 0x7fffffff', [Buffer.from('0200000000000401000000007fffffff', 'hex'), Buffer.alloc(256, 3)], true],
      ];
      const results = await Promise.all(cases.map(([, bytes, hs]) => closedAfter(bytes, hs)));
      cases.forEach(([name], i) => assert.equal(results[i], true, `${name} closes the connection`));
      const r = await run('rtmpdump', ['-q', '-r', url('short'), '-o', '/dev/null', '-m', '10']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(harness.adapter.health().state, 'ready');
    });
  });
});

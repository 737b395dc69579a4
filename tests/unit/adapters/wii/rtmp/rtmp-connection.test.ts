import { strict as assert } from 'node:assert';
import { RtmpConnection, type RtmpConnectionOptions } from '../../../../../adapters/wii/rtmp/rtmp-connection.js';
import type { RtmpApplicationHost, StreamResolution } from '../../../../../adapters/wii/rtmp/application.js';
import { MessageType, UserControlEvent } from '../../../../../adapters/wii/rtmp/messages.js';
import { PENDING_STATUS_CODE } from '../../../../../adapters/wii/rtmp/play-stream.js';
import { silentLogger } from '../../../../../plugin/log/logger.js';
import { systemClock } from '../../../../../plugin/index.js';
import { duplexPair } from '../../../../support/wii/duplex-pair.js';
import { fakeFlvSource, type FakeSource } from '../../../../support/wii/fake-flv-source.js';
import { RtmpTestClient, type ReceivedMessage } from '../../../../support/wii/rtmp-test-client.js';

const BIG_BUFFER = 36_000_000;

interface Setup {
  readonly client: RtmpTestClient;
  readonly connection: RtmpConnection;
  readonly sources: Record<string, FakeSource>;
}

const opened: Setup[] = [];

function baseOptions(): RtmpConnectionOptions {
  return {
    clock: systemClock,
    log: silentLogger(),
    host: { connect: () => ({ ok: false, code: 'NetConnection.Connect.Rejected', description: 'no' }) },
    remoteAddress: '127.0.0.1',
    handshakeTimeoutMs: 2000,
    idleTimeoutMs: 60_000,
    pendingStatusAfterMs: 300,
    pauseReleaseMs: 30_000,
    leadSlackMs: 1000,
    maxLeadMs: 600_000,
    stats: { mediaBytes: 0, runs: 0, activeRuns: 0, failures: 0 },
  };
}

function setup(overrides: Partial<RtmpConnectionOptions> = {}, handshake: 'simple' | 'digest' = 'simple'): Setup {
  const sources: Record<string, FakeSource> = {
    clip: fakeFlvSource({ durationSeconds: 4 }),
    long: fakeFlvSource({ durationSeconds: 120, leadIn: true }),
    failing: fakeFlvSource({ durationSeconds: 60, failAtMs: 1500 }),
    slow: fakeFlvSource({ durationSeconds: 10, startDelayMs: 400 }),
  };
  const host: RtmpApplicationHost = {
    connect(request) {
      if (request.app === 'refuse') return { ok: false, code: 'NetConnection.Connect.Rejected', description: 'Device not approved.' };
      if (request.app !== 'wii') return { ok: false, code: 'NetConnection.Connect.InvalidApp', description: `No application ${request.app}.` };
      return {
        ok: true,
        session: {
          resolveStream: (name): Promise<StreamResolution> => {
            const source = sources[name];
            return Promise.resolve(source ? { ok: true, source } : { ok: false, code: 'NetStream.Play.StreamNotFound', description: `No such stream: ${name}` });
          },
        },
      };
    },
  };
  const [serverSide, clientSide] = duplexPair();
  const connection = new RtmpConnection(serverSide, { ...baseOptions(), host, ...overrides });
  const s = { client: new RtmpTestClient(clientSide, handshake), connection, sources };
  opened.push(s);
  return s;
}

async function playing(s: Setup, name: string, bufferMs: number, startMs = -2000, durationMs?: number): Promise<number> {
  await s.client.connect('wii');
  await s.client.waitStatus('NetConnection.Connect.Success');
  const id = await s.client.createStream();
  s.client.setBuffer(id, bufferMs);
  s.client.play(id, name, startMs, durationMs);
  return id;
}

const isVideoKey = (m: ReceivedMessage): boolean => m.type === MessageType.video && (m.payload[0]! >> 4) === 1;
const indexOfStatus = (c: RtmpTestClient, code: string): number => c.messages.findIndex((m) => m.values?.some((v) => typeof v === 'object' && v !== null && (v as Record<string, unknown>)['code'] === code));

describe('RtmpConnection', () => {
  afterEach(async () => {
    for (const s of opened.splice(0)) {
      s.client.close();
      s.connection.destroy();
      await s.connection.whenClosed();
    }
  });

  describe('connect', () => {
    it('answers the digest handshake and connect with the control messages, then Connect.Success', async () => {
      const s = setup({}, 'digest');
      await s.client.connect('wii');
      await s.client.waitStatus('NetConnection.Connect.Success');
      assert.equal(s.client.handshakeValid, true);
      assert.deepEqual(
        s.client.messages.map((m) => m.type),
        [MessageType.windowAckSize, MessageType.setPeerBandwidth, MessageType.setChunkSize, MessageType.amf0Command],
      );
      const result = s.client.messages[3]!.values!;
      assert.equal(result[0], '_result');
      assert.equal((result[2] as Record<string, unknown>)['fmsVer'], 'FMS/3,0,1,123');
    });

    it('sends _error NetConnection.Connect.InvalidApp for an unknown app, then closes', async () => {
      const s = setup();
      await s.client.connect('noapp');
      const m = await s.client.waitStatus('NetConnection.Connect.InvalidApp');
      assert.equal(m.values![0], '_error');
      await s.client.waitUntil(() => s.client.closed, 5000, 'close');
    });

    it('sends NetConnection.Connect.Rejected when the host refuses, then closes', async () => {
      const s = setup();
      await s.client.connect('refuse');
      await s.client.waitStatus('NetConnection.Connect.Rejected');
      await s.client.waitUntil(() => s.client.closed, 5000, 'close');
    });
  });

  describe('play', () => {
    it('sends StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess and onMetaData before media that starts with a keyframe, and ends with Complete and Stop', async () => {
      const s = setup();
      const id = await playing(s, 'clip', BIG_BUFFER);
      await s.client.waitStatus('NetStream.Play.Stop');
      const c = s.client;
      const begin = c.messages.findIndex((m) => m.event?.event === UserControlEvent.streamBegin && m.event.value === id);
      const reset = indexOfStatus(c, 'NetStream.Play.Reset');
      const start = indexOfStatus(c, 'NetStream.Play.Start');
      const access = c.messages.findIndex((m) => m.values?.[0] === '|RtmpSampleAccess');
      const meta = c.messages.findIndex((m) => m.values?.[0] === 'onMetaData');
      const firstMedia = c.messages.findIndex((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(begin >= 0 && begin < reset && reset < start && start < access && access < meta && meta < firstMedia, c.statusCodes().join());
      assert.equal((c.messages[meta]!.values![1] as Record<string, unknown>)['duration'], 4);
      assert.ok(isVideoKey(c.messages[firstMedia]!));
      const eof = c.messages.findIndex((m) => m.event?.event === UserControlEvent.streamEof);
      const complete = indexOfStatus(c, 'NetStream.Play.Complete');
      const stop = indexOfStatus(c, 'NetStream.Play.Stop');
      assert.ok(eof > firstMedia && eof < complete && complete < stop);
      assert.equal(c.messages[complete]!.type, MessageType.amf0Data);
      const media = c.media();
      assert.ok(media.at(-1)!.timestamp >= 3900);
      for (const type of [MessageType.audio, MessageType.video]) {
        const ts = media.filter((m) => m.type === type).map((m) => m.timestamp);
        assert.deepEqual(ts, [...ts].sort((x, y) => x - y), 'per-type timestamps never go back');
      }
      assert.ok(media.every((m) => m.streamId === id));
    });

    it('starts at the requested offset with a keyframe at that timestamp and no earlier audio', async () => {
      const s = setup();
      await playing(s, 'long', 2000, 60_000);
      await s.client.waitUntil(() => s.client.media().length > 10);
      const media = s.client.media();
      assert.ok(isVideoKey(media[0]!));
      assert.equal(media[0]!.timestamp, 60_000);
      assert.ok(media.every((m) => m.timestamp >= 60_000));
      assert.deepEqual(s.sources['long']!.opens, [60]);
    });

    it('honours the play duration (rtmpdump -B) and completes there', async () => {
      const s = setup();
      await playing(s, 'long', BIG_BUFFER, 10_000, 2000);
      await s.client.waitStatus('NetStream.Play.Complete');
      assert.ok(s.client.media().every((m) => m.timestamp < 12_000));
      await s.client.waitUntil(() => s.sources['long']!.running() === 0, 2000, 'producer stopped');
    });

    it('answers an unknown stream with NetStream.Play.StreamNotFound and keeps the connection', async () => {
      const s = setup();
      await playing(s, 'missing', 1000);
      const m = await s.client.waitStatus('NetStream.Play.StreamNotFound');
      assert.equal((m.values![3] as Record<string, unknown>)['level'], 'error');
      assert.equal(s.client.closed, false);
    });

    it('ends a source failing mid-stream with Play.Failed and Play.Stop, not Complete', async () => {
      const s = setup();
      await playing(s, 'failing', BIG_BUFFER);
      await s.client.waitStatus('NetStream.Play.Stop');
      assert.ok(s.client.findStatus('NetStream.Play.Failed'));
      assert.equal(s.client.findStatus('NetStream.Play.Complete'), undefined);
    });

    it('paces media to the client buffer plus the slack', async () => {
      const s = setup();
      await playing(s, 'long', 1000);
      await s.client.waitUntil(() => (s.client.media().at(-1)?.timestamp ?? 0) >= 3500, 15_000, '3.5 s of media');
      const media = s.client.media();
      const first = media[0]!;
      for (const m of media) {
        const lead = m.timestamp - first.timestamp - (m.at - first.at);
        assert.ok(lead <= 2000 + 50, `lead ${lead} ms at ts ${m.timestamp}`);
      }
    });
  });

  describe('seek', () => {
    it('restarts at the target: StreamEOF, StreamIsRecorded, StreamBegin, Seek.Notify, Play.Start, then a keyframe at the target', async () => {
      const s = setup();
      const id = await playing(s, 'long', 1000);
      await s.client.waitUntil(() => s.client.media().length > 5);
      const before = s.client.messages.length;
      s.client.seek(id, 90_000);
      await s.client.waitUntil(() => s.client.messages.slice(before).some(isVideoKey));
      const after = s.client.messages.slice(before);
      const controls = after.filter((m) => m.type === MessageType.userControl).map((m) => m.event!.event);
      assert.deepEqual(controls.slice(0, 3), [UserControlEvent.streamEof, UserControlEvent.streamIsRecorded, UserControlEvent.streamBegin]);
      const notify = after.findIndex((m) => m.values?.some((v) => (v as Record<string, unknown> | null)?.['code'] === 'NetStream.Seek.Notify'));
      const media = after.slice(notify).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(isVideoKey(media[0]!));
      assert.equal(media[0]!.timestamp, 90_000);
      assert.ok(media.every((m) => m.timestamp >= 90_000));
      assert.deepEqual(s.sources['long']!.opens, [0, 90]);
      await s.client.waitUntil(() => s.sources['long']!.running() === 1, 2000, 'old producer stopped');
    });

    it('clamps a seek past the end and completes cleanly', async () => {
      const s = setup();
      const id = await playing(s, 'clip', 1000);
      await s.client.waitUntil(() => s.client.media().length > 3);
      s.client.seek(id, 14_000);
      await s.client.waitStatus('NetStream.Play.Stop');
      assert.ok(s.client.findStatus('NetStream.Play.Complete'));
      assert.deepEqual(s.sources['clip']!.opens, [0, 3.5]);
      await s.client.waitUntil(() => s.sources['clip']!.running() === 0, 2000, 'producer stopped');
    });
  });

  describe('start debounce', () => {
    it('starts one run, at the seek target, for play(-2000) and seek(60000) sent back to back (ffmpeg’s commands)', async () => {
      const s = setup({ startDebounceMs: 150 });
      const id = await playing(s, 'long', 1000);
      s.client.seek(id, 60_000);
      await s.client.waitUntil(() => s.client.media().some(isVideoKey), 5000, 'keyframe');
      assert.deepEqual(s.sources['long']!.opens, [60], 'one producer, started at the target');
      const codes = s.client.statusCodes();
      assert.ok(codes.indexOf('NetStream.Seek.Notify') > codes.indexOf('NetStream.Play.Start'), 'Seek.Notify follows Play.Start');
      assert.equal(s.client.media()[0]!.timestamp, 60_000);
      assert.ok(s.client.media().every((m) => m.timestamp >= 60_000));
    });

    it('coalesces a burst of seeks into one run at the last target', async () => {
      const s = setup({ startDebounceMs: 150 });
      const id = await playing(s, 'long', 1000);
      await s.client.waitUntil(() => s.client.media().length > 5, 5000, 'media');
      const mark = s.client.messages.length;
      for (const ms of [10_000, 20_000, 30_000]) s.client.seek(id, ms);
      await s.client.waitUntil(() => s.client.messages.slice(mark).some(isVideoKey), 5000, 'keyframe after the seeks');
      assert.deepEqual(s.sources['long']!.opens, [0, 30]);
      const media = s.client.messages.slice(mark).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.equal(media[0]!.timestamp, 30_000);
    });

    it('starts nothing when the stream is closed inside the window', async () => {
      const s = setup({ startDebounceMs: 150 });
      const id = await playing(s, 'long', 1000);
      await s.client.waitStatus('NetStream.Play.Start');
      s.client.deleteStream(id);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(s.sources['long']!.opens, []);
    });
  });

  describe('pings', () => {
    it('pings a paused peer that answers and keeps it, with the stream resuming on unpause', async () => {
      const stats = { mediaBytes: 0, runs: 0, activeRuns: 0, failures: 0, pingsSent: 0, silentPeersClosed: 0 };
      const s = setup({ pingIntervalMs: 100, idleTimeoutMs: 1000, pauseReleaseMs: 200, stats });
      const id = await playing(s, 'long', 500);
      await s.client.waitUntil(() => (s.client.media().at(-1)?.timestamp ?? 0) >= 500, 5000, 'media');
      s.client.pause(id, true, 500);
      await s.client.waitStatus('NetStream.Pause.Notify');
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(s.client.pingRequests() >= 8, `pinged (${s.client.pingRequests()})`);
      assert.equal(s.client.closed, false, 'still connected after more than the idle timeout');
      assert.equal(stats.silentPeersClosed, 0);
      const mark = s.client.messages.length;
      s.client.pause(id, false, 500);
      await s.client.waitUntil(() => s.client.messages.slice(mark).some(isVideoKey), 5000, 'media after unpause');
    });

    it('closes a peer that stays silent for three ping intervals', async () => {
      const stats = { mediaBytes: 0, runs: 0, activeRuns: 0, failures: 0, pingsSent: 0, silentPeersClosed: 0 };
      const s = setup({ pingIntervalMs: 100, stats });
      const id = await playing(s, 'long', 500);
      await s.client.waitUntil(() => s.client.media().length > 0, 5000, 'media');
      s.client.pause(id, true, 500);
      s.client.answerPings = false;
      await s.client.waitUntil(() => s.client.closed, 3000, 'close');
      assert.equal(stats.silentPeersClosed, 1);
      await s.client.waitUntil(() => s.sources['long']!.running() === 0, 2000, 'producer stopped');
    });
  });

  describe('pause', () => {
    it('sends nothing while paused and continues from the paused position on unpause', async () => {
      const s = setup();
      const id = await playing(s, 'long', 500);
      await s.client.waitUntil(() => (s.client.media().at(-1)?.timestamp ?? 0) >= 1000);
      s.client.pause(id, true, 1000);
      await s.client.waitStatus('NetStream.Pause.Notify');
      const atPause = s.client.messages.length;
      const lastTs = s.client.media().at(-1)!.timestamp;
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(s.client.messages.length, atPause, 'nothing sent while paused');
      s.client.pause(id, false, 1000);
      await s.client.waitStatus('NetStream.Unpause.Notify');
      await s.client.waitUntil(() => s.client.messages.length > atPause + 5);
      const resumed = s.client.messages.slice(atPause).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(resumed.every((m) => m.timestamp > lastTs - 100), 'never restarts from 0');
      assert.deepEqual(s.sources['long']!.opens, [0]);
    });

    it('releases the producer during a long pause and restarts right after the last sent media', async () => {
      const s = setup({ pauseReleaseMs: 100 });
      const id = await playing(s, 'long', 500);
      await s.client.waitUntil(() => (s.client.media().at(-1)?.timestamp ?? 0) >= 1000);
      s.client.pause(id, true, 1000);
      await s.client.waitStatus('NetStream.Pause.Notify');
      await s.client.waitUntil(() => s.sources['long']!.running() === 0, 3000, 'producer released');
      const lastTs = s.client.media().at(-1)!.timestamp;
      const atUnpause = s.client.messages.length;
      s.client.pause(id, false, 1000);
      await s.client.waitUntil(() => s.client.messages.slice(atUnpause).some(isVideoKey));
      const opens = s.sources['long']!.opens;
      assert.equal(opens.length, 2);
      assert.ok(Math.abs(opens[1]! * 1000 - (lastTs + 1)) < 1);
      const media = s.client.messages.slice(atUnpause).filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
      assert.ok(media.every((m) => m.timestamp > lastTs));
    });
  });

  describe('robustness', () => {
    it('closes at once on a C0 that is not 3 (an HTTP request)', async () => {
      const s = setup();
      s.client.socket.write('GET / HTTP/1.0\r\n\r\n');
      await s.client.waitUntil(() => s.client.closed, 2000, 'close');
      await s.connection.whenClosed();
    });

    it('closes a connection whose handshake does not finish in time', async () => {
      const [serverSide, clientSide] = duplexPair();
      const connection = new RtmpConnection(serverSide, { ...baseOptions(), handshakeTimeoutMs: 100 });
      let ended = false;
      clientSide.on('end', () => (ended = true));
      clientSide.resume();
      clientSide.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(100)]));
      await connection.whenClosed();
      await new Promise((r) => setImmediate(r));
      assert.equal(ended, true);
      connection.destroy();
    });

    it('closes the connection on garbage AMF in connect', async () => {
      const s = setup();
      await s.client.waitHandshake();
      s.client.raw(Buffer.concat([Buffer.from('030000000000101400000000', 'hex'), Buffer.alloc(16, 0x42)]));
      await s.client.waitUntil(() => s.client.closed, 2000, 'close');
    });

    it('stops the producer when the client disconnects mid-stream', async () => {
      const s = setup();
      await playing(s, 'long', 1000);
      await s.client.waitUntil(() => s.client.media().length > 5);
      assert.equal(s.sources['long']!.running(), 1);
      s.client.close();
      await s.connection.whenClosed();
      await s.client.waitUntil(() => s.sources['long']!.running() === 0, 2000, 'producer stopped');
    });

    it('sends the pending status when no keyframe comes in time', async () => {
      const s = setup({ pendingStatusAfterMs: 100 });
      await playing(s, 'slow', 1000);
      const pending = await s.client.waitStatus(PENDING_STATUS_CODE);
      await s.client.waitUntil(() => s.client.media().length > 0);
      assert.ok(s.client.messages.indexOf(pending) < s.client.messages.indexOf(s.client.media()[0]!));
    });
  });
});

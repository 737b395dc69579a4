import assert from 'node:assert/strict';
import { buildUrl, redactUrl, serverTranscodeUrl, socketUrl, staticStreamUrl } from '../../../../plugin/jellyfin/urls.js';

describe('urls', () => {
  describe('staticStreamUrl', () => {
    it('asks for the original file with the media source and the ApiKey query (not api_key)', () => {
      assert.equal(
        staticStreamUrl('http://jf:8096/', 'item1', 'src1', 'k'),
        'http://jf:8096/Videos/item1/stream?static=true&mediaSourceId=src1&ApiKey=k',
      );
    });
    it('keeps a base path prefix', () => {
      assert.equal(staticStreamUrl('https://host/jellyfin', 'i', undefined, 'k'), 'https://host/jellyfin/Videos/i/stream?static=true&ApiKey=k');
    });
  });

  describe('serverTranscodeUrl', () => {
    const ctx = { mediaSourceId: 'src', deviceId: 'jb', apiKey: 'k' };
    it('puts the container in the path and converts kbps to bps and seconds to ticks', () => {
      const url = new URL(
        serverTranscodeUrl('http://jf', 'i', { container: 'ts', videoCodec: 'mpeg2video', audioCodec: 'ac3', videoBitrateKbps: 4000, audioBitrateKbps: 192, maxWidth: 720, maxHeight: 480, startSeconds: 12.5 }, ctx),
      );
      assert.equal(url.pathname, '/Videos/i/stream.ts');
      assert.deepEqual(Object.fromEntries(url.searchParams), {
        mediaSourceId: 'src',
        deviceId: 'jb',
        videoCodec: 'mpeg2video',
        audioCodec: 'ac3',
        videoBitRate: '4000000',
        audioBitRate: '192000',
        maxWidth: '720',
        maxHeight: '480',
        startTimeTicks: '125000000',
        ApiKey: 'k',
      });
    });
    it('leaves startTimeTicks out at the start', () => {
      const url = new URL(serverTranscodeUrl('http://jf', 'i', { container: 'flv', videoCodec: 'flv', audioCodec: 'mp3', startSeconds: 0 }, ctx));
      assert.equal(url.searchParams.has('startTimeTicks'), false);
    });
    it('rejects containers and codecs Jellyfin would refuse', () => {
      assert.throws(() => serverTranscodeUrl('http://jf', 'i', { container: 'exe', videoCodec: 'h264', audioCodec: 'aac' }, ctx), { code: 'ERR_JELLYFIN_TRANSCODE_REQUEST' });
      assert.throws(() => serverTranscodeUrl('http://jf', 'i', { container: 'ts', videoCodec: 'h264;rm', audioCodec: 'aac' }, ctx), { code: 'ERR_JELLYFIN_TRANSCODE_REQUEST' });
      assert.throws(() => serverTranscodeUrl('http://jf', 'i', { container: 'ts', videoCodec: 'h264', audioCodec: 'aac', startSeconds: -1 }, ctx), { code: 'ERR_JELLYFIN_TRANSCODE_REQUEST' });
      assert.throws(() => serverTranscodeUrl('http://jf', 'i', { container: 'ts', videoCodec: 'h264', audioCodec: 'aac', videoBitrateKbps: 0 }, ctx), { code: 'ERR_JELLYFIN_TRANSCODE_REQUEST' });
    });
  });

  describe('socketUrl', () => {
    it('switches to ws(s) and carries no credentials', () => {
      assert.equal(socketUrl('http://jf:8096'), 'ws://jf:8096/socket');
      assert.equal(socketUrl('https://host/jellyfin/'), 'wss://host/jellyfin/socket');
    });
  });

  describe('redactUrl', () => {
    it('masks ApiKey, api_key and userinfo', () => {
      assert.equal(redactUrl('http://u:p@jf/Videos/i/stream?static=true&ApiKey=secret&x=1'), 'http://***@jf/Videos/i/stream?static=true&ApiKey=***&x=1');
      assert.equal(redactUrl('http://jf/a?api_key=secret'), 'http://jf/a?api_key=***');
    });
  });

  describe('buildUrl', () => {
    it('skips undefined parameters', () => {
      assert.equal(buildUrl('http://jf', '/x', { a: 1, b: undefined, c: true }), 'http://jf/x?a=1&c=true');
    });
  });
});

import { strict as assert } from 'node:assert';
import { LogSink } from '../../../../plugin/log/logger.js';
import { redactSecrets } from '../../../../plugin/log/redact.js';

describe('redactSecrets', () => {
  it('removes URL credentials, API keys and tokens', () => {
    assert.equal(redactSecrets('rtsp://admin:hunter2@cam.lan/stream'), 'rtsp://***@cam.lan/stream');
    assert.equal(redactSecrets('http://jf/Videos/1/stream?static=true&ApiKey=abc123&x=1'), 'http://jf/Videos/1/stream?static=true&ApiKey=***&x=1');
    assert.equal(redactSecrets('MediaBrowser Client="x", Token="abc"'), 'MediaBrowser Client="x", Token="***"');
  });
});

describe('LogSink', () => {
  it('writes JSON lines with child fields and redacts secret fields', () => {
    const lines: string[] = [];
    const sink = new LogSink({ level: 'info', write: (l) => lines.push(l) });
    sink.logger({ adapter: 'tivo' }).child({ device: 'd1' }).info('hello', { apiKey: 'k', url: 'http://u:p@h/' });
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(record['msg'], 'hello');
    assert.equal(record['adapter'], 'tivo');
    assert.equal(record['device'], 'd1');
    assert.equal(record['apiKey'], '***');
    assert.equal(record['url'], 'http://***@h/');
  });

  it('applies per-adapter levels and keeps recent records', () => {
    const lines: string[] = [];
    const sink = new LogSink({ level: 'warn', adapterLevels: { wii: 'debug' }, write: (l) => lines.push(l) });
    sink.logger({ adapter: 'tivo' }).info('dropped');
    sink.logger({ adapter: 'wii' }).debug('kept');
    sink.logger().error('kept too');
    assert.equal(lines.length, 2);
    assert.deepEqual(sink.recent(10, 'error').map((r) => r.msg), ['kept too']);
  });
});

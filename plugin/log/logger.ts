/**
 * A small structured JSON logger: one line per record on stderr (or a given sink), levels per
 * adapter, child loggers that add fields, and a ring buffer of recent records for the admin UI.
 */
import { redactValue } from './redact.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly time: string;
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LogSinkOptions {
  readonly level: LogLevel;
  /** Per-adapter levels, keyed by the `adapter` field. */
  readonly adapterLevels?: Readonly<Record<string, LogLevel>>;
  readonly write?: (line: string) => void;
  readonly recentCapacity?: number;
}

/** Owns output and the recent-records buffer; loggers are views on it. */
export class LogSink {
  private readonly recentRecords: LogRecord[] = [];
  private readonly capacity: number;
  private readonly write: (line: string) => void;
  level: LogLevel;
  adapterLevels: Readonly<Record<string, LogLevel>>;

  constructor(options: LogSinkOptions) {
    this.level = options.level;
    this.adapterLevels = options.adapterLevels ?? {};
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.capacity = options.recentCapacity ?? 500;
  }

  logger(fields: LogFields = {}): Logger {
    return new SinkLogger(this, fields);
  }

  /** The most recent records, oldest first, at or above `minLevel`. */
  recent(limit = 200, minLevel: LogLevel = 'debug'): readonly LogRecord[] {
    const rank = RANK[minLevel];
    return this.recentRecords.filter((r) => RANK[r.level] >= rank).slice(-limit);
  }

  emit(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields): void {
    const adapter = fields['adapter'];
    const threshold = (typeof adapter === 'string' ? this.adapterLevels[adapter] : undefined) ?? this.level;
    if (RANK[level] < RANK[threshold]) return;
    const record = { time: new Date().toISOString(), level, msg: String(redactValue(msg)), ...(redactValue(fields) as object) } as LogRecord;
    this.recentRecords.push(record);
    if (this.recentRecords.length > this.capacity) this.recentRecords.shift();
    this.write(JSON.stringify(record));
  }
}

class SinkLogger implements Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly fields: LogFields,
  ) {}
  debug(msg: string, fields?: LogFields): void {
    this.sink.emit('debug', msg, { ...this.fields, ...fields });
  }
  info(msg: string, fields?: LogFields): void {
    this.sink.emit('info', msg, { ...this.fields, ...fields });
  }
  warn(msg: string, fields?: LogFields): void {
    this.sink.emit('warn', msg, { ...this.fields, ...fields });
  }
  error(msg: string, fields?: LogFields): void {
    this.sink.emit('error', msg, { ...this.fields, ...fields });
  }
  child(fields: LogFields): Logger {
    return new SinkLogger(this.sink, { ...this.fields, ...fields });
  }
}

/** A logger that drops everything (tests that do not care about logs). */
export function silentLogger(): Logger {
  return new LogSink({ level: 'silent', write: () => undefined }).logger();
}

/**
 * Why a recorder run ended (pure): from what the supervisor saw and ffmpeg's scrubbed stderr
 * tail, a stable error code and one line for the admin UI and health. ffmpeg exits with code 0
 * when the camera goes away (protocols/camera.md §5.1), so the code alone says nothing.
 */

export interface RunOutcome {
  /** The supervisor stopped the run because progress stopped advancing. */
  readonly stalled: boolean;
  /** The run wrote media (progress advanced at least once). */
  readonly recorded: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly failedToStart: boolean;
  readonly stderrTail: string;
}

export type ExitCode =
  | 'ERR_CAMERA_STALLED'
  | 'ERR_CAMERA_DISCONNECTED'
  | 'ERR_CAMERA_AUTH'
  | 'ERR_CAMERA_UNREACHABLE'
  | 'ERR_CAMERA_NOT_FOUND'
  | 'ERR_CAMERA_NO_VIDEO'
  | 'ERR_CAMERA_AUDIO_UNSUPPORTED'
  | 'ERR_CAMERA_DISK_FULL'
  | 'ERR_CAMERA_FFMPEG';

export interface ExitReason {
  readonly code: ExitCode;
  readonly message: string;
  /** Worth polling the camera's port before the next attempt (it refused or did not answer). */
  readonly unreachable: boolean;
}

const RULES: readonly { readonly test: RegExp; readonly code: ExitCode; readonly message: string; readonly unreachable?: boolean }[] = [
  { test: /No space left on device/i, code: 'ERR_CAMERA_DISK_FULL', message: 'the disk is full' },
  { test: /401 Unauthorized|authorization failed/i, code: 'ERR_CAMERA_AUTH', message: 'the camera refused the credentials (401)' },
  { test: /403 Forbidden/i, code: 'ERR_CAMERA_AUTH', message: 'the camera refused access (403)' },
  { test: /404 Not Found|Server returned 404/i, code: 'ERR_CAMERA_NOT_FOUND', message: 'the camera has no stream at that path (404)' },
  { test: /Could not find tag for codec|not supported in container|codec not currently supported in container/i, code: 'ERR_CAMERA_AUDIO_UNSUPPORTED', message: 'the camera audio cannot be stored in mp4 as is' },
  { test: /Stream map '0:v:0' matches no streams|does not contain any stream|Output file #0 does not contain any stream/i, code: 'ERR_CAMERA_NO_VIDEO', message: 'the camera sends no video' },
  { test: /Connection refused|No route to host|Network is unreachable|Name or service not known|Temporary failure in name resolution|Connection timed out|Operation timed out/i, code: 'ERR_CAMERA_UNREACHABLE', message: 'the camera cannot be reached', unreachable: true },
];

export function classifyRun(outcome: RunOutcome): ExitReason {
  const tail = outcome.stderrTail;
  if (outcome.failedToStart) return { code: 'ERR_CAMERA_FFMPEG', message: `ffmpeg could not be started: ${lastLine(tail)}`, unreachable: false };
  if (outcome.stalled) return { code: 'ERR_CAMERA_STALLED', message: 'the camera stopped sending (no progress); restarting', unreachable: true };
  for (const rule of RULES) {
    // A run that recorded and then lost the camera is a disconnect even if the tail says "timed out".
    if (rule.code === 'ERR_CAMERA_UNREACHABLE' && outcome.recorded) break;
    if (rule.test.test(tail)) return { code: rule.code, message: rule.message, unreachable: rule.unreachable === true };
  }
  if (outcome.recorded) return { code: 'ERR_CAMERA_DISCONNECTED', message: `the stream ended (exit ${outcome.exitCode ?? outcome.signal ?? '?'})`, unreachable: true };
  const last = lastLine(tail);
  return { code: 'ERR_CAMERA_FFMPEG', message: `ffmpeg ended before recording (exit ${outcome.exitCode ?? outcome.signal ?? '?'})${last ? `: ${last}` : ''}`, unreachable: false };
}

function lastLine(tail: string): string {
  return (
    tail
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1)
      ?.trim() ?? ''
  );
}

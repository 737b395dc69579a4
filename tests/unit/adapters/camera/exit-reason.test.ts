import { strictEqual } from 'node:assert/strict';
import { classifyRun, type RunOutcome } from '../../../../adapters/camera/exit-reason.js';

const base: RunOutcome = { stalled: false, recorded: false, exitCode: 1, signal: null, failedToStart: false, stderrTail: '' };

describe('classifyRun', () => {
  it('calls an exit 0 after recording a disconnect', () => {
    strictEqual(classifyRun({ ...base, recorded: true, exitCode: 0 }).code, 'ERR_CAMERA_DISCONNECTED');
  });

  it('reports a stall the supervisor detected', () => {
    strictEqual(classifyRun({ ...base, stalled: true, recorded: true }).code, 'ERR_CAMERA_STALLED');
  });

  it('recognises wrong credentials', () => {
    strictEqual(classifyRun({ ...base, stderrTail: '[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized' }).code, 'ERR_CAMERA_AUTH');
  });

  it('recognises a refused connection as unreachable', () => {
    const r = classifyRun({ ...base, stderrTail: 'rtsp://h:1/cam: Connection refused' });
    strictEqual(r.code, 'ERR_CAMERA_UNREACHABLE');
    strictEqual(r.unreachable, true);
  });

  it('recognises audio mp4 cannot hold', () => {
    strictEqual(classifyRun({ ...base, stderrTail: 'Could not find tag for codec pcm_alaw in stream #1, codec not currently supported in container' }).code, 'ERR_CAMERA_AUDIO_UNSUPPORTED');
  });

  it('recognises a camera without video', () => {
    strictEqual(classifyRun({ ...base, stderrTail: "Stream map '0:v:0' matches no streams." }).code, 'ERR_CAMERA_NO_VIDEO');
  });

  it('recognises a full disk even after recording', () => {
    strictEqual(classifyRun({ ...base, recorded: true, stderrTail: 'Error writing trailer: No space left on device' }).code, 'ERR_CAMERA_DISK_FULL');
  });
});

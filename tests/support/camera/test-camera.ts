/**
 * A real RTSP test camera (protocols/camera.md §4, variant A): GStreamer's RTSP server from
 * Debian packages, run by gst_cam.py on 127.0.0.1 and a free port. Tests control it with
 * signals: kill() = the camera dies, freeze()/thaw() = SIGSTOP/SIGCONT (camera stalls).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { freePort } from '../cli.js';

export const PYTHON = '/usr/bin/python3';

export interface CameraOptions {
  /** Video size (tiny by default: 2 shared cores). */
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly bitrateKbps?: number;
  /** Key frame every N frames (default one per second). */
  readonly keyInt?: number;
  readonly audio?: 'aac' | 'alaw' | 'none';
  readonly user?: string;
  readonly password?: string;
  readonly pattern?: string;
  /** Fixed port (a restarted camera keeps its address); default a free one. */
  readonly port?: number;
}

/** Whether python3-gi and the GStreamer RTSP server are installed (`skip` reason otherwise). */
export function testCameraMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'GStreamer RTSP server missing: apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad,ugly} gstreamer1.0-libav';
  const ff = spawnSync('ffmpeg', ['-version']);
  if (ff.error || ff.status !== 0) return 'ffmpeg missing';
  return undefined;
}

function launchLine(o: CameraOptions): string {
  const w = o.width ?? 320;
  const h = o.height ?? 240;
  const fps = o.fps ?? 25;
  const video = `videotestsrc is-live=true pattern=${o.pattern ?? 'ball'} ! video/x-raw,width=${w},height=${h},framerate=${fps}/1 ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=${o.bitrateKbps ?? 300} key-int-max=${o.keyInt ?? fps} ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96`;
  switch (o.audio ?? 'aac') {
    case 'none':
      return video;
    case 'alaw':
      return `${video} audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1`;
    case 'aac':
      return `${video} audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=48000,channels=1 ! avenc_aac bitrate=64000 ! aacparse ! rtpmp4gpay name=pay1 pt=97`;
  }
}

export class TestCamera {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly options: CameraOptions,
  ) {}

  static async start(options: CameraOptions = {}): Promise<TestCamera> {
    const camera = new TestCamera(options.port ?? (await freePort()), options);
    await camera.restart();
    return camera;
  }

  /** rtsp URL with the credentials when the camera has them (percent-encoded). */
  url(password = this.options.password): string {
    const auth = this.options.user === undefined ? '' : `${encodeURIComponent(this.options.user)}:${encodeURIComponent(password ?? '')}@`;
    return `rtsp://${auth}127.0.0.1:${this.port}/cam`;
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the camera (again) on the same port and waits until it accepts connections. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('camera already running');
    const args = [join(repoRoot(), 'tests', 'support', 'camera', 'gst_cam.py'), String(this.port), '/cam', launchLine(this.options)];
    if (this.options.user !== undefined) args.push(this.options.user, this.options.password ?? '');
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.resume();
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('test camera did not start')), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`test camera exited (${code})`));
      });
    });
    await waitForPort(this.port);
  }

  /** The camera dies (SIGKILL: the TCP connection is reset). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

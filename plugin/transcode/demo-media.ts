/**
 * A small demo library for the embedded default, generated with ffmpeg's lavfi sources on first
 * run so a fresh install has something to browse and play: two movies (H.264/AAC 720p in mp4,
 * MPEG-2/AC-3 480p in mkv), a two-episode series, `.nfo` and pyTivo `.txt` metadata, poster
 * JPEGs and an XMLTV guide (`guide.xml`, 48 h from generation, refreshed when fewer than 24 h
 * remain) for local live TV.
 *
 * Safe to call on every start: a clip that exists is kept; each file is written under a hidden
 * temporary name (the scanner skips hidden names) and renamed into place, so an interrupted run
 * never leaves half a clip. It only writes into an empty or missing folder, or one it created
 * before (marker `.jellybridge-demo`): a user's own media folder is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { SidecarError, errorMessage } from '../util/errors.js';
import { parseXmltv } from '../library/metadata/xmltv.js';
import { formatXmltvTime } from '../library/metadata/xmltv-time.js';

/** Marker file that says the folder holds the generated demo library. */
export const DEMO_MARKER = '.jellybridge-demo';
/** The guide file, relative to the demo root; pass it as the local source's `xmltvPath`. */
export const DEMO_GUIDE = 'guide.xml';
/** Hours of guide generated, and hours left below which it is regenerated. */
export const DEMO_GUIDE_HOURS = 48;
export const DEMO_GUIDE_MIN_HOURS_LEFT = 24;

export interface DemoClip {
  /** Root-relative path with `/`. */
  readonly path: string;
  readonly seconds: number;
  readonly width: number;
  readonly height: number;
  readonly pattern: 'testsrc2' | 'smptebars' | 'rgbtestsrc';
  readonly videoCodec: 'libx264' | 'mpeg2video';
  readonly audioCodec: 'aac' | 'ac3';
  readonly title: string;
}

export const DEMO_CLIPS: readonly DemoClip[] = [
  { path: 'Movies/Big Test Pattern (2024)/Big Test Pattern (2024).mp4', seconds: 20, width: 1280, height: 720, pattern: 'testsrc2', videoCodec: 'libx264', audioCodec: 'aac', title: 'Big Test Pattern' },
  { path: 'Movies/Colour Bars (2023).mkv', seconds: 15, width: 720, height: 480, pattern: 'smptebars', videoCodec: 'mpeg2video', audioCodec: 'ac3', title: 'Colour Bars' },
  { path: 'TV/Demo Show/Season 1/Demo Show - S01E01 - Pilot.mp4', seconds: 10, width: 640, height: 360, pattern: 'rgbtestsrc', videoCodec: 'libx264', audioCodec: 'aac', title: 'Pilot' },
  { path: 'TV/Demo Show/Season 1/Demo Show - S01E02 - Second Signal.mp4', seconds: 10, width: 640, height: 360, pattern: 'testsrc2', videoCodec: 'libx264', audioCodec: 'aac', title: 'Second Signal' },
];

export interface DemoPoster {
  readonly path: string;
  readonly pattern: string;
}

export const DEMO_POSTERS: readonly DemoPoster[] = [
  { path: 'Movies/Big Test Pattern (2024)/poster.jpg', pattern: 'testsrc2' },
  { path: 'Movies/Colour Bars (2023)-poster.jpg', pattern: 'smptebars' },
  { path: 'TV/Demo Show/poster.jpg', pattern: 'rgbtestsrc' },
  { path: 'TV/Demo Show/Season 1/Demo Show - S01E01 - Pilot.jpg', pattern: 'rgbtestsrc' },
];

export const DEMO_TEXT_FILES: Readonly<Record<string, string>> = {
  'Movies/Big Test Pattern (2024)/Big Test Pattern (2024).nfo': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<movie>
  <title>Big Test Pattern</title>
  <plot>Twenty seconds of ffmpeg's testsrc2 pattern with a 440 Hz tone: the classic.</plot>
  <year>2024</year>
  <premiered>2024-03-01</premiered>
  <mpaa>G</mpaa>
  <genre>Documentary</genre>
  <studio>Jellybridge Demo</studio>
  <director>Lavfi Testsrc</director>
  <actor><name>A. Sine Wave</name><role>The Tone</role></actor>
</movie>
`,
  'Movies/Colour Bars (2023).mkv.txt': `title : Colour Bars
movieYear : 2023
isEpisode : false
description : SMPTE colour bars in MPEG-2 with AC-3 sound, ready for a TiVo without transcoding.
mpaaRating : G
vProgramGenre : Documentary
vDirector : Bars|Smpte
`,
  'TV/Demo Show/tvshow.nfo': `<?xml version="1.0" encoding="UTF-8"?>
<tvshow>
  <title>Demo Show</title>
  <plot>A show about test signals.</plot>
  <premiered>2025-01-06</premiered>
  <genre>Comedy</genre>
</tvshow>
`,
  'TV/Demo Show/Season 1/Demo Show - S01E01 - Pilot.nfo': `<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Pilot</title>
  <showtitle>Demo Show</showtitle>
  <season>1</season>
  <episode>1</episode>
  <aired>2025-01-06</aired>
  <plot>The test pattern meets the tone.</plot>
  <mpaa>TV-PG</mpaa>
  <actor><name>Rgb Testsrc</name><role>Herself</role></actor>
</episodedetails>
`,
  'TV/Demo Show/Season 1/.meta/Demo Show - S01E02 - Second Signal.mp4.txt': `seriesTitle : Demo Show
episodeTitle : Second Signal
episodeNumber : 102
originalAirDate : 2025-01-13T00:00:00Z
description : A second signal appears on the scope.
tvRating : x4
vProgramGenre : Comedy
vActor : Testsrc|Two
`,
};

interface DemoChannel {
  readonly id: string;
  readonly number: string;
  readonly callSign: string;
  readonly name: string;
  readonly shows: readonly { readonly title: string; readonly category: string; readonly minutes: number }[];
}

const DEMO_CHANNELS: readonly DemoChannel[] = [
  { id: 'demo1.jellybridge.local', number: '2', callSign: 'DEMO', name: 'Demo One', shows: [
    { title: 'Demo Show', category: 'Series', minutes: 30 },
    { title: 'Test Card Hour', category: 'Documentary', minutes: 60 },
  ] },
  { id: 'bars.jellybridge.local', number: '5', callSign: 'BARS', name: 'Bars Network', shows: [
    { title: 'Colour Bars', category: 'Movie', minutes: 90 },
    { title: 'Tone Talk', category: 'Talk', minutes: 30 },
  ] },
  { id: 'news.jellybridge.local', number: '7.1', callSign: 'KNWS', name: 'Signal News', shows: [
    { title: 'Signal News', category: 'News', minutes: 30 },
  ] },
];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The demo XMLTV guide: programmes from `fromMs` (rounded down to the hour) for `hours`. Pure. */
export function buildDemoGuide(fromMs: number, hours: number = DEMO_GUIDE_HOURS): string {
  const start = Math.floor(fromMs / 3_600_000) * 3_600_000;
  const end = start + hours * 3_600_000;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tv SYSTEM "xmltv.dtd">', '<tv generator-info-name="jellybridge-demo">'];
  for (const c of DEMO_CHANNELS) {
    lines.push(`  <channel id="${c.id}">`, `    <display-name>${c.number} ${c.callSign}</display-name>`, `    <display-name>${c.number}</display-name>`);
    lines.push(`    <display-name>${c.callSign}</display-name>`, `    <display-name>${escapeXml(c.name)}</display-name>`, '  </channel>');
  }
  for (const c of DEMO_CHANNELS) {
    let t = start;
    let n = 0;
    while (t < end) {
      const show = c.shows[n % c.shows.length] ?? { title: 'Off Air', category: 'Other', minutes: 30 };
      const stop = t + show.minutes * 60_000;
      const episode = Math.floor(n / c.shows.length);
      lines.push(`  <programme start="${formatXmltvTime(t)}" stop="${formatXmltvTime(stop)}" channel="${c.id}">`);
      lines.push(`    <title lang="en">${escapeXml(show.title)}</title>`);
      if (show.category !== 'Movie') {
        lines.push(`    <sub-title lang="en">Episode ${episode + 1}</sub-title>`, `    <episode-num system="xmltv_ns">0.${episode}.</episode-num>`);
      }
      lines.push(`    <desc lang="en">${escapeXml(`${show.title} on ${c.name}.`)}</desc>`, `    <category lang="en">${show.category}</category>`, '  </programme>');
      t = stop;
      n++;
    }
  }
  lines.push('</tv>', '');
  return lines.join('\n');
}

/** ffmpeg arguments that encode one demo clip into `output`. Pure. */
export function demoClipArgs(clip: DemoClip, output: string): readonly string[] {
  const rate = clip.videoCodec === 'mpeg2video' ? '30000/1001' : '25';
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  args.push('-f', 'lavfi', '-i', `${clip.pattern}=s=${clip.width}x${clip.height}:r=${rate}:d=${clip.seconds}`);
  args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${clip.seconds}`);
  if (clip.videoCodec === 'libx264') args.push('-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '50');
  else args.push('-c:v', 'mpeg2video', '-b:v', '4000k', '-maxrate', '6000k', '-bufsize', '1835k', '-g', '15', '-aspect', '16:9');
  args.push('-c:a', clip.audioCodec, '-b:a', clip.audioCodec === 'ac3' ? '192k' : '128k', '-ac', '2');
  args.push('-metadata', `title=${clip.title}`, '-t', String(clip.seconds));
  if (clip.path.endsWith('.mp4')) args.push('-movflags', '+faststart', '-f', 'mp4');
  else args.push('-f', 'matroska');
  args.push(output);
  return args;
}

/** ffmpeg arguments for a poster JPEG. Pure. */
export function demoPosterArgs(poster: DemoPoster, output: string): readonly string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', `${poster.pattern}=s=300x450:d=1`, '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', output];
}

function hiddenTemp(target: string): string {
  const dir = dirname(target);
  const name = target.slice(dir.length + 1);
  return join(dir, `.${name}.partial-${process.pid}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function runFfmpeg(ffmpegPath: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, args, { timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) {
        reject(
          new SidecarError('ERR_DEMO_MEDIA_FAILED', 'internal', `ffmpeg could not generate demo media: ${stderr.trim().split('\n').pop() ?? errorMessage(error)}`, {
            cause: error,
            detail: { stderr: stderr.slice(-2000) },
          }),
        );
      } else resolve();
    });
  });
}

/** Writes `target` through a hidden temporary file and a rename. */
async function writeAtomically(target: string, produce: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = hiddenTemp(target);
  try {
    await produce(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function isDemoFolder(root: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return true; // missing: ours to create
  }
  return names.includes(DEMO_MARKER) || names.filter((n) => !n.startsWith('.')).length === 0;
}

/** Whether the guide at `path` is missing, unreadable or ends within DEMO_GUIDE_MIN_HOURS_LEFT. */
export async function demoGuideIsStale(path: string, nowMs: number): Promise<boolean> {
  try {
    const guide = parseXmltv(await readFile(path, 'utf8'));
    const lastStop = Math.max(0, ...guide.programmes.map((p) => p.stop ?? p.start));
    return lastStop < nowMs + DEMO_GUIDE_MIN_HOURS_LEFT * 3_600_000;
  } catch {
    return true;
  }
}

export interface DemoLibraryOptions {
  /** Clock for the guide (default Date.now). */
  readonly now?: () => number;
}

/**
 * Generates the demo library under `root` when it is missing or incomplete, and refreshes its
 * guide when stale. `created` is true when any clip or poster was generated in this call.
 * Throws `ERR_DEMO_MEDIA_FAILED` (internal) when ffmpeg fails.
 */
export async function ensureDemoLibrary(root: string, ffmpegPath: string, log: Logger, options: DemoLibraryOptions = {}): Promise<{ created: boolean }> {
  if (!(await isDemoFolder(root))) {
    log.debug('media folder has its own content; no demo library', { root });
    return { created: false };
  }
  await mkdir(root, { recursive: true });
  await writeFile(join(root, DEMO_MARKER), 'Generated by Jellybridge (demo library). Delete this folder content to use your own media.\n');
  let created = false;
  const started = Date.now();
  for (const clip of DEMO_CLIPS) {
    const target = join(root, ...clip.path.split('/'));
    if (await exists(target)) continue;
    await writeAtomically(target, (temp) => runFfmpeg(ffmpegPath, demoClipArgs(clip, temp)));
    created = true;
  }
  for (const poster of DEMO_POSTERS) {
    const target = join(root, ...poster.path.split('/'));
    if (await exists(target)) continue;
    await writeAtomically(target, (temp) => runFfmpeg(ffmpegPath, demoPosterArgs(poster, temp)));
    created = true;
  }
  for (const [path, text] of Object.entries(DEMO_TEXT_FILES)) {
    const target = join(root, ...path.split('/'));
    if (await exists(target)) continue;
    await writeAtomically(target, (temp) => writeFile(temp, text));
  }
  const now = (options.now ?? Date.now)();
  const guidePath = join(root, DEMO_GUIDE);
  if (await demoGuideIsStale(guidePath, now)) {
    await writeAtomically(guidePath, (temp) => writeFile(temp, buildDemoGuide(now)));
    log.info('demo guide written', { path: guidePath, hours: DEMO_GUIDE_HOURS });
  }
  if (created) log.info('demo library generated', { root, ms: Date.now() - started });
  return { created };
}

/**
 * A sidecar with one camera in a child process, so a test can kill -9 it:
 * `node --import tsx sidecar-child.ts <library> <rtsp-url>`. Prints `ready` once started.
 */
import { startCameraSidecar } from './support.js';

const [library, url] = process.argv.slice(2);
if (library === undefined || url === undefined) throw new Error('usage: sidecar-child.ts <library> <rtsp-url>');
const harness = await startCameraSidecar({ library, cameras: [{ id: 'shed', name: 'Shed', url }], viewers: false });
// The parent removes the data folder: this process dies by kill -9 and cannot.
process.stdout.write(`ready ${harness.dataDir}\n`);
setInterval(() => undefined, 1 << 30);

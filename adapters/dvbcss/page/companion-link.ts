/**
 * The companion link an admin hands to phones: `http://<host>:<device port>/dvbcss/`. The host
 * must be one a phone on the LAN can reach, which the sidecar cannot learn from a request (the
 * admin usually browses from loopback): the configured `companionHost`, else the adapter's
 * `bind` address when it is a specific one, else the first non-internal IPv4 address of the
 * machine. Pure: the interface list is passed in.
 */

/** The shape of `os.networkInterfaces()` this needs. */
export type InterfaceList = Readonly<Record<string, readonly { readonly address: string; readonly family: string | number; readonly internal: boolean }[] | undefined>>;

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

export function companionHost(options: { readonly companionHost?: string | undefined; readonly bind: string }, interfaces: InterfaceList): string {
  if (options.companionHost !== undefined && options.companionHost.length > 0) return bracket(options.companionHost);
  if (!WILDCARDS.has(options.bind)) return bracket(options.bind);
  const names = Object.keys(interfaces).sort();
  for (const name of names) {
    for (const a of interfaces[name] ?? []) {
      if (!a.internal && (a.family === 'IPv4' || a.family === 4)) return a.address;
    }
  }
  return '127.0.0.1';
}

export function companionUrl(host: string, port: number, adapterId: string): string {
  return `http://${host}:${port}/${adapterId}/`;
}

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

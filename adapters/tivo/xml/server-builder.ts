/** `<TiVoServer>` (QueryServer, §5.1) and `<TiVoFormats>` (QueryFormats, §5.5). Pure. */
import { builder, XML_DECLARATION, xmlText } from './xml.js';

export interface ServerXmlInfo {
  readonly name: string;
  readonly version: string;
}

export function buildQueryServer(info: ServerXmlInfo): string {
  return (
    XML_DECLARATION +
    builder.build({
      TiVoServer: {
        Version: '1.6',
        InternalName: xmlText(info.name),
        InternalVersion: xmlText(info.version),
        Organization: 'Jellybridge',
        Comment: 'Jellyfin library over TiVo HMO',
      },
    })
  );
}

export function buildQueryFormats(mimes: readonly string[]): string {
  return XML_DECLARATION + builder.build({ TiVoFormats: { Format: mimes.map((m) => ({ ContentType: m, Description: '' })) } });
}

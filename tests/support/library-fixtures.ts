/** Library-model values for unit tests: the required fields filled, the ones a test cares about passed in. */
import type { Folder, MediaItem } from '../../plugin/index.js';

export function testItem(id: string, title: string, extra: Partial<MediaItem> = {}): MediaItem {
  return { kind: 'item', id, title, sortTitle: title, dateCreated: '2026-01-01T00:00:00.000Z', type: 'movie', genres: [], people: [], studios: [], playable: true, providerIds: {}, ...extra };
}

export function testFolder(id: string, title: string, extra: Partial<Folder> = {}): Folder {
  return { kind: 'folder', id, title, sortTitle: title, dateCreated: '2026-01-01T00:00:00.000Z', folderType: 'folder', ...extra };
}

/**
 * The embedded default library source (DESIGN.md §2 `library/local-folder.ts`); the
 * implementation lives in ./local-folder/.
 */
export { createLocalFolderSource, localLibraryMigrations, LOCAL_LIBRARY_NAMESPACE, LOCAL_USER, DEFAULT_RESCAN_INTERVAL_MS, entryIdOf } from './local-folder/index.js';
export type { LocalFolderOptions } from './local-folder/index.js';

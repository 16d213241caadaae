import { open } from 'node:fs/promises';

/**
 * Flushes a file, or a directory's entries (a new or renamed name), to disk; where a directory
 * cannot be synced, the OS decides.
 */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

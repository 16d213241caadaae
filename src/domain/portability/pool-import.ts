import type { GroupRecord, Storage } from '../../storage/types.js';
import type { SecretBox } from '../keys/secret-box.js';
import { readPoolSettings } from '../pools/pool-settings.js';
import { SignInNames } from '../users/sign-in-names.js';
import type { Users } from '../users/users.js';
import { noCounts, type PoolLine, type SectionCounts, type UserLine } from './pool-file.js';
import { parsePoolLine, PoolFileError } from './pool-lines.js';
import { clientSecrets, deviceSecrets, documentSecrets, signingKeySecrets, userSecrets, type SecretTransform } from './sealed-secrets.js';

export interface NumberedLine {
  number: number;
  text: string;
}

export interface PoolImportDependencies {
  storage: Storage;
  secretBox: SecretBox;
  users: Users;
}

export interface ImportedPool {
  poolId: string;
  counts: SectionCounts;
}

/**
 * Imports every pool of a pool file, all or nothing per pool: the whole file is checked first
 * (its shape, each section against itself, and against what the target already has), and only
 * then written; a pool whose writing fails is removed again with everything written for it.
 * `read` is called twice, once per pass, and must give the same lines both times.
 */
export async function importPools(read: () => AsyncIterable<NumberedLine>, deps: PoolImportDependencies): Promise<ImportedPool[]> {
  const checked = await checkFile(read(), deps.storage);
  if (checked === 0) throw new PoolFileError(0, 'the file holds no pool');
  const imported: ImportedPool[] = [];
  let writer: SectionWriter | undefined;
  for await (const { number, text } of read()) {
    if (text.trim() === '') continue;
    const line = parsePoolLine(text, number, writer?.poolId);
    if (line.type === 'pool') writer = await SectionWriter.open(line, deps);
    else if (line.type === 'end') {
      imported.push({ poolId: writer!.poolId, counts: line.counts });
      writer = undefined;
    } else await writer!.write(line);
  }
  return imported;
}

/** Pass one: every line parsed, every section whole and consistent, nothing in the way at the target. */
async function checkFile(lines: AsyncIterable<NumberedLine>, storage: Storage): Promise<number> {
  let section: SectionCheck | undefined;
  let sections = 0;
  let last = 0;
  for await (const { number, text } of lines) {
    last = number;
    if (text.trim() === '') continue;
    const line = parsePoolLine(text, number, section?.poolId);
    if (line.type === 'pool') {
      section = new SectionCheck(line);
      await section.checkTarget(storage, number);
    } else if (line.type === 'end') {
      section!.checkEnd(line.counts, number);
      section = undefined;
      sections++;
    } else await section!.check(line, number, storage);
  }
  if (section) throw new PoolFileError(last, `pool ${section.poolId}'s section is cut short: it has no end line`);
  return sections;
}

/** What pass one remembers of a section to find clashes inside it. */
class SectionCheck {
  readonly poolId: string;
  private readonly names: SignInNames;
  private readonly counts = noCounts();
  private readonly documents = new Set<string>();
  private readonly groups = new Set<string>();
  private readonly usernames = new Set<string>();
  private readonly subs = new Set<string>();
  private readonly aliases = new Set<string>();
  private readonly devices = new Set<string>();

  constructor(line: PoolLine) {
    this.poolId = line.pool.id;
    this.names = new SignInNames(readPoolSettings(line.pool.config));
  }

  async checkTarget(storage: Storage, number: number): Promise<void> {
    if (await storage.pools.get(this.poolId)) throw new PoolFileError(number, `pool ${this.poolId} exists here already`);
  }

  async check(line: Exclude<ReturnType<typeof parsePoolLine>, PoolLine | { type: 'end' }>, number: number, storage: Storage): Promise<void> {
    const unique = (set: Set<string>, key: string, what: string) => {
      if (set.has(key)) throw new PoolFileError(number, `${what} appears twice in pool ${this.poolId}`);
      set.add(key);
    };
    if (this.counts.users > 0 && line.type !== 'user') throw new PoolFileError(number, 'users come last in a section, after clients, documents and groups');
    switch (line.type) {
      case 'client':
        this.counts.clients++;
        if (await storage.clients.findById(line.client.clientId)) throw new PoolFileError(number, `app client ${line.client.clientId} exists here already`);
        return;
      case 'document':
        this.counts.documents++;
        unique(this.documents, `${line.document.kind}\0${line.document.key}`, `${line.document.kind} ${line.document.key}`);
        if (line.document.kind === 'domain' && (await storage.poolDocuments.find('domain', line.document.key))) {
          throw new PoolFileError(number, `domain ${line.document.key} belongs to another pool here`);
        }
        return;
      case 'group':
        this.counts.groups++;
        unique(this.groups, line.group.nameKey, `group ${line.group.name}`);
        return;
      case 'user':
        return this.checkUser(line, number, unique);
    }
  }

  private checkUser({ user, groups, devices }: UserLine, number: number, unique: (set: Set<string>, key: string, what: string) => void): void {
    this.counts.users++;
    this.counts.devices += devices.length;
    unique(this.usernames, user.usernameKey, `username ${user.username}`);
    unique(this.subs, user.sub, `sub ${user.sub}`);
    for (const alias of this.names.uniqueNamesOf({ ...user, version: 0 })) unique(this.aliases, `${alias.kind}\0${alias.key}`, `${alias.kind} ${alias.key}`);
    for (const device of devices) unique(this.devices, device.deviceKey, `device ${device.deviceKey}`);
    for (const name of groups) {
      if (!this.groups.has(name.toLowerCase())) throw new PoolFileError(number, `user ${user.username} is a member of group ${name}, which the section does not have`);
    }
  }

  checkEnd(counts: SectionCounts, number: number): void {
    for (const [what, count] of Object.entries(this.counts)) {
      const declared = (counts as unknown as Record<string, unknown>)[what];
      if (declared !== count) throw new PoolFileError(number, `pool ${this.poolId}: the end line counts ${String(declared)} ${what}, the section has ${count}: the file is cut or altered`);
    }
  }
}

/** Pass two, one section: its records written, sealed with this server's key; on failure, the pool removed again. */
class SectionWriter {
  private readonly groups = new Map<string, GroupRecord>();

  private constructor(
    readonly poolId: string,
    private readonly deps: PoolImportDependencies,
    private readonly seal: SecretTransform,
  ) {}

  static async open(line: PoolLine, deps: PoolImportDependencies): Promise<SectionWriter> {
    const seal: SecretTransform = (value, context) => deps.secretBox.seal(value, context);
    await deps.storage.pools.insert({ ...line.pool, userCount: 0, version: 0 }, line.signingKeys.map((key) => signingKeySecrets(key, seal)));
    return new SectionWriter(line.pool.id, deps, seal);
  }

  async write(line: Exclude<ReturnType<typeof parsePoolLine>, PoolLine | { type: 'end' }>): Promise<void> {
    const { storage } = this.deps;
    try {
      switch (line.type) {
        case 'client':
          return await storage.clients.insert({ ...clientSecrets({ ...line.client, version: 0 }, this.seal) });
        case 'document':
          return await storage.poolDocuments.insert(documentSecrets({ ...line.document, version: 0 }, this.seal));
        case 'group': {
          const group = { ...line.group, version: 0 };
          await storage.groups.insert(group);
          this.groups.set(group.nameKey, group);
          return;
        }
        case 'user':
          return await this.writeUser(line);
      }
    } catch (error) {
      // All or nothing: what was written of this pool goes with it.
      await storage.pools.delete(this.poolId);
      throw error;
    }
  }

  private async writeUser({ user, groups, devices }: UserLine): Promise<void> {
    const { storage, users } = this.deps;
    const record = userSecrets({ ...user, version: 0 }, this.seal);
    await users.insertRecord(await users.poolContext(this.poolId), record);
    for (const name of groups) await storage.groups.addMember(this.groups.get(name.toLowerCase())!, record);
    for (const device of devices) await storage.devices.insert(deviceSecrets(device, this.seal));
  }
}

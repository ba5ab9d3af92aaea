/**
 * `nails data get NAME`: downloads an official benchmark record (or one from a registry file),
 * checks the SHA-256 of the download (when known) and of every file it keeps, unpacks a zip's
 * members, writes them into the data directory and returns what it did and the citation. Nothing
 * is written unless every check passes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { DOWNLOADS, parseRegistry, type DownloadEntry } from '../core/data/downloads.js';
import { nearest } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';

/** Downloads larger than this are refused (the official records are a few MB). */
const MAX_BYTES = 512 * 1024 * 1024;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface GetResult {
  name: string;
  url: string;
  written: string[];
  /** Files that were already there with the right content. */
  present: string[];
  citation: string;
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new NailsError(
      `cannot download ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message} (is the machine online?)`,
      url,
    );
  }
  if (!res.ok) throw new NailsError(`cannot download ${url}: HTTP ${res.status}`, url);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES)
    throw new NailsError(`${url} is ${length} bytes; refusing more than ${MAX_BYTES}`, url);
  return new Uint8Array(await res.arrayBuffer());
}

export async function getDataset(
  name: string,
  dataDir: string,
  opts: { url?: string; registry?: string; timeoutMs?: number } = {},
): Promise<GetResult> {
  const registry: Record<string, DownloadEntry> = opts.registry
    ? { ...DOWNLOADS, ...parseRegistry(readFileSync(opts.registry, 'utf8'), opts.registry) }
    : DOWNLOADS;
  const entry = registry[name];
  if (!entry) {
    const near = nearest(name, Object.keys(registry));
    throw new NailsError(
      `no download known for '${name}'${near ? ` (did you mean '${near}'?)` : ''}; known: ${Object.keys(registry).join(', ')}`,
      name,
    );
  }
  const urls = opts.url ? [opts.url] : entry.urls;
  let bytes: Uint8Array | undefined;
  let from = '';
  const failures: string[] = [];
  for (const url of urls) {
    try {
      bytes = await download(url, opts.timeoutMs ?? 120_000);
      from = url;
      break;
    } catch (e) {
      if (!(e instanceof NailsError)) throw e;
      failures.push(e.message);
    }
  }
  if (!bytes) throw new NailsError(failures.join('; '), name);
  // The archive's own checksum is checked only for the official address (a mirror may repack).
  if (entry.sha256 && !opts.url && sha256(bytes) !== entry.sha256)
    throw new NailsError(
      `${from}: SHA-256 ${sha256(bytes)} does not match the expected ${entry.sha256}; nothing written`,
      name,
    );
  let members: Map<string, Uint8Array>;
  if (entry.kind === 'zip') {
    let all: Record<string, Uint8Array>;
    try {
      all = unzipSync(bytes);
    } catch (e) {
      throw new NailsError(`${from} is not a readable zip archive: ${(e as Error).message}`, name);
    }
    members = new Map(Object.entries(all).map(([k, v]) => [k.split('/').pop()!, v]));
  } else members = new Map([[entry.files[0]!.name, bytes]]);
  // Check everything first, then write.
  const keep: { dest: string; data: Uint8Array }[] = [];
  for (const f of entry.files) {
    const data = members.get(f.name);
    if (!data) throw new NailsError(`${from} has no file '${f.name}'; nothing written`, name);
    const got = sha256(data);
    if (got !== f.sha256)
      throw new NailsError(
        `${f.name} from ${from}: SHA-256 ${got} does not match the expected ${f.sha256}; nothing written`,
        name,
      );
    keep.push({ dest: path.resolve(dataDir, f.dest), data });
  }
  const written: string[] = [];
  const present: string[] = [];
  for (const k of keep)
    if (existsSync(k.dest) && sha256(readFileSync(k.dest)) !== sha256(k.data))
      throw new NailsError(
        `${k.dest} exists with other content; move it away to download the official file (nothing written)`,
        name,
      );
  for (const k of keep) {
    if (existsSync(k.dest)) {
      present.push(k.dest);
      continue;
    }
    mkdirSync(path.dirname(k.dest), { recursive: true });
    writeFileSync(k.dest, k.data);
    written.push(k.dest);
  }
  return { name, url: from, written, present, citation: entry.citation };
}

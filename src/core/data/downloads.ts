/**
 * Where the official benchmark records can be downloaded (`nails data get NAME`): the archive or
 * file address, the files to keep with the SHA-256 of each (computed from the byte-identical
 * copies documented in shared/data's READMEs), and the citation the benchmark's authors ask for.
 * Pure data; src/io/data-get.ts downloads, checks and unpacks. A registry file of the same shape
 * (`--registry FILE`, JSON) adds a lab's own data sets or a mirror.
 */
import { NailsError } from '../errors.js';

export interface DownloadFile {
  /** Name of the file in the archive (matched on its last path component) or of the download. */
  name: string;
  /** Where it goes, relative to the data directory. */
  dest: string;
  sha256: string;
}

export interface DownloadEntry {
  title: string;
  /** Addresses tried in order (mirrors after the official one). */
  urls: string[];
  kind: 'zip' | 'file';
  /** SHA-256 of the downloaded archive or file itself, when known. */
  sha256?: string;
  files: DownloadFile[];
  citation: string;
}

export const DOWNLOADS: Record<string, DownloadEntry> = {
  cascaded_tanks: {
    title: 'Cascaded tanks with overflow (nonlinearbenchmark.org)',
    urls: [
      'https://data.4tu.nl/file/d4810b78-6cdd-48fe-8950-9bd601e5f47f/3b697e42-01a4-4979-a370-813a456c36f5',
    ],
    kind: 'zip',
    files: [
      {
        name: 'dataBenchmark.mat',
        dest: 'cascaded_tanks/dataBenchmark.mat',
        sha256: 'cb2f88d4388be4d3f2a24c6402fba804976aac5f2e1f26cda59ea0a38d016eab',
      },
      {
        name: 'dataBenchmark.csv',
        dest: 'cascaded_tanks/dataBenchmark.csv',
        sha256: 'ef2388ed822f3aef4aa80d6b0f2b466dd80b361786b3eafc7a2957c31ea323a7',
      },
    ],
    citation:
      'M. Schoukens, P. Mattsson, T. Wigren, J.P. Noël, "Cascaded tanks benchmark combining soft and hard nonlinearities", Workshop on Nonlinear System Identification Benchmarks, Brussels, 2016.',
  },
  silverbox: {
    title: 'Silverbox (nonlinearbenchmark.org)',
    urls: ['http://www.nonlinearbenchmark.org/FILES/BENCHMARKS/SILVERBOX/SilverboxFiles.zip'],
    kind: 'zip',
    files: [
      {
        name: 'SNLS80mV.mat',
        dest: 'silverbox/SNLS80mV.mat',
        sha256: '5c7413a52255af0cb4e2f93fb6903beb92b08965ba1e6ad0a6ffedfed8477ed4',
      },
      {
        name: 'Schroeder80mV.mat',
        dest: 'silverbox/Schroeder80mV.mat',
        sha256: 'ec5a9740a4789aa20b9d84f387424c0218e843844807b30b367c218778339fb6',
      },
    ],
    citation:
      'T. Wigren and J. Schoukens, "Three free data sets for development and benchmarking in nonlinear system identification", ECC 2013, pp. 2933–2938.',
  },
  wiener_hammerstein_2009: {
    title: 'Wiener–Hammerstein 2009 (SYSID 2009 benchmark)',
    urls: [
      'http://www.ee.kth.se/~hjalmars/ifac_tc11_benchmarks/2009_wienerhammerstein/WienerHammerBenchMark.mat',
    ],
    kind: 'file',
    sha256: '096e6128687efb664d146d28fc17db4c5a94f247c4b3a2e451319be1efb25ae2',
    files: [
      {
        name: 'WienerHammerBenchMark.mat',
        dest: 'wiener_hammerstein_2009/WienerHammerBenchMark.mat',
        sha256: '096e6128687efb664d146d28fc17db4c5a94f247c4b3a2e451319be1efb25ae2',
      },
    ],
    citation:
      'L. Ljung, J. Schoukens, J. Suykens, "Wiener-Hammerstein benchmark", 15th IFAC Symposium on System Identification (SYSID), 2009.',
  },
};

/** Reads a registry file's text (JSON: name → DownloadEntry); errors name the entry and field. */
export function parseRegistry(text: string, source: string): Record<string, DownloadEntry> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NailsError(`${source} is not JSON: ${(e as Error).message}`, source);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new NailsError(`${source}: expected an object of data sets by name`, source);
  const out: Record<string, DownloadEntry> = {};
  const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/i.test(v);
  for (const [name, e] of Object.entries(raw as Record<string, unknown>)) {
    const bad = (field: string, want: string) =>
      new NailsError(`${source}: data set '${name}': ${field} must be ${want}`, source);
    const x = e as Partial<DownloadEntry>;
    if (!x || typeof x !== 'object') throw bad('the entry', 'an object');
    if (
      !Array.isArray(x.urls) ||
      x.urls.length === 0 ||
      !x.urls.every((u) => typeof u === 'string')
    )
      throw bad('urls', 'a non-empty list of addresses');
    if (x.kind !== 'zip' && x.kind !== 'file') throw bad('kind', '"zip" or "file"');
    if (x.sha256 !== undefined && !hex(x.sha256)) throw bad('sha256', '64 hexadecimal digits');
    if (!Array.isArray(x.files) || x.files.length === 0) throw bad('files', 'a non-empty list');
    for (const f of x.files) {
      if (typeof f?.name !== 'string' || typeof f.dest !== 'string')
        throw bad('each file', 'an object with name and dest');
      if (!hex(f.sha256)) throw bad(`files '${f.name}' sha256`, '64 hexadecimal digits');
      if (f.dest.split(/[\\/]/).includes('..') || /^([\\/]|[a-zA-Z]:)/.test(f.dest))
        throw bad(`files '${f.name}' dest`, 'a path inside the data directory');
    }
    out[name] = {
      title: typeof x.title === 'string' ? x.title : name,
      urls: x.urls,
      kind: x.kind,
      ...(x.sha256 ? { sha256: x.sha256.toLowerCase() } : {}),
      files: x.files.map((f) => ({ ...f, sha256: f.sha256.toLowerCase() })),
      citation: typeof x.citation === 'string' ? x.citation : '',
    };
  }
  return out;
}

/** `nails data get NAME [--data-dir DIR] [--url URL] [--registry FILE]`: download a benchmark record. */
import { getDataset } from '../../io/data-get.js';

export async function runDataGet(
  name: string,
  dataDir: string,
  opts: { url?: string; registry?: string },
): Promise<number> {
  const r = await getDataset(name, dataDir, opts);
  process.stdout.write(`downloaded ${r.name} from ${r.url}\n`);
  for (const f of r.written) process.stdout.write(`  wrote ${f} (SHA-256 checked)\n`);
  for (const f of r.present) process.stdout.write(`  ${f} was already there (SHA-256 checked)\n`);
  if (r.citation) process.stdout.write(`please cite: ${r.citation}\n`);
  return 0;
}

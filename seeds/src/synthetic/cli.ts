/**
 * Loads (or removes) the labelled synthetic data set of one region.
 *
 *   tsx seeds/src/synthetic/cli.ts --region 320000 [--institutions 300] [--months 24] [--until 2024-12-01]
 *                                  [--seed 1] [--density 1] [--remove]
 *
 * DATABASE_URL set → that PostgreSQL server; otherwise the embedded PGlite under DATA_DIR (default .data).
 * Migrates first. Progress goes to stderr, the summary (JSON) to stdout. The reference data (batches,
 * varieties, implementations) must be loaded already: synthetic purchases are made only for varieties of
 * batches implemented in the region.
 */
import { parseArgs } from 'node:util';
import { createDatabase } from '@vbp/db';
import { DataDirLockedError, lockEmbeddedDatabase, type DataDirLock } from '@vbp/db/data-dir-lock';
import { generateSynthetic, removeSynthetic, type SyntheticProgress } from './generate';

const USAGE =
  'usage: tsx seeds/src/synthetic/cli.ts --region 320000 [--institutions N] [--months N] [--until YYYY-MM-DD] [--seed N] [--density X] [--remove]';

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer: ${value}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      institutions: { type: 'string' },
      months: { type: 'string' },
      until: { type: 'string' },
      seed: { type: 'string' },
      density: { type: 'string' },
      remove: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.region) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const where = { url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR };
  let lock: DataDirLock | null;
  try {
    lock = await lockEmbeddedDatabase(where, 'seed-synthetic');
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    process.stderr.write(`${err.message}\nStop the server first / 请先停止服务。\n`);
    return 1;
  }
  const database = await createDatabase(where);
  const stop = () => void database.close().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await database.migrate();
    const started = performance.now();
    if (values.remove) {
      await removeSynthetic(database, values.region);
      process.stderr.write(`removed the synthetic data of ${values.region}\n`);
      process.stdout.write(`${JSON.stringify({ removed: values.region })}\n`);
      return 0;
    }
    let lastLine = 0;
    const onProgress = (p: SyntheticProgress) => {
      const now = performance.now();
      if (p.done !== p.total && now - lastLine < 1_000) return;
      lastLine = now;
      const share = p.total > 0 ? ` (${((100 * p.done) / p.total).toFixed(0)}%)` : '';
      process.stderr.write(`${((now - started) / 1000).toFixed(1)}s ${p.phase}: ${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')}${share}\n`);
    };
    const result = await generateSynthetic(database, {
      regionCode: values.region,
      institutions: integer('institutions', values.institutions),
      months: integer('months', values.months),
      seed: integer('seed', values.seed),
      until: values.until,
      density: values.density === undefined ? undefined : Number(values.density),
      onProgress,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.products === 0) process.stderr.write(`warning: no batch with varieties is implemented in ${values.region}; load the reference data first\n`);
    process.stderr.write(
      `loaded synthetic data for ${values.region} in ${seconds.toFixed(1)} s: ${result.institutions.toLocaleString('en')} institutions, ` +
        `${result.products.toLocaleString('en')} products, ${result.agreedVolumes.toLocaleString('en')} agreed volumes, ` +
        `${result.purchases.toLocaleString('en')} purchases (${Math.round(result.purchases / seconds).toLocaleString('en')} rows/s)\n`,
    );
    process.stdout.write(`${JSON.stringify({ ...result, seconds: Number(seconds.toFixed(2)) })}\n`);
    return 0;
  } finally {
    await database.close();
    await lock?.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // a refusal (a full disk) is said in both languages
    const zh = error instanceof Error && 'messageZh' in error ? `\n${String(error.messageZh)}` : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${zh}\n`);
    process.exit(1);
  },
);

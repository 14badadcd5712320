/**
 * The plans of the real reads at scale, with and without each index they use (decision 008).
 *
 * The execution views and the overview are called as the API calls them; every statement they send is
 * caught through drizzle's logger (text and parameters) and run again under EXPLAIN (ANALYZE, BUFFERS).
 * Then, for every index those plans use, the statements that used it are explained once more with the
 * index dropped, inside a transaction that is rolled back: the plan and the time the statement would have
 * without it. Written as Markdown (`pnpm bench --scale province --plans FILE`).
 */
import postgres from 'postgres';
import { ExecutionListQuery, ExecutionSummaryQuery } from '../../packages/contracts/src/execution';
import { getExecutionSummary, getInstitutionExecution, listExecution } from '../../packages/core/src/queries/execution';
import { getOverview } from '../../packages/core/src/queries/overview';
import { createDatabase, type Db } from '../../packages/db/src/index';
import { round } from './measure';

interface Statement {
  id: number;
  text: string;
  params: unknown[];
  reads: Set<string>;
  plan: string;
  ms: number;
  indexes: string[];
}

interface Without {
  index: string;
  table: string;
  definition: string;
  statements: { id: number; ms: number; plan: string }[];
}

/** `Execution Time: 12.3 ms` of an EXPLAIN ANALYZE text. */
function executionMs(plan: string): number {
  return Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
}

/** The indexes a plan reads. */
function indexesOf(plan: string): string[] {
  return [...new Set([...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)/g)].map((m) => m[1]!))].sort();
}

/** How long a statement may run without an index before it is stopped. */
const WITHOUT_LIMIT_MS = 30_000;

const firstLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 160);

/** `indexes: false` (a Citus cluster: dropping an index there drops it on every shard) explains the reads only. */
export async function explainReads(url: string, options: { region: string; dates: string[]; institutionId: number; indexes?: boolean }): Promise<string> {
  let catching: string | null = null;
  const statements = new Map<string, Statement>();
  const database = await createDatabase({
    url,
    maxConnections: 2,
    onQuery: (text, params) => {
      if (catching === null || !/^\s*(select|with)\b/i.test(text)) return;
      const key = `${text}\u0000${JSON.stringify(params)}`;
      const found = statements.get(key) ?? { id: statements.size + 1, text, params, reads: new Set<string>(), plan: '', ms: NaN, indexes: [] };
      found.reads.add(catching);
      statements.set(key, found);
    },
  });
  const reads: Record<string, (db: Db, date: string) => Promise<unknown>> = {
    'execution summary': (db, date) => getExecutionSummary(db, ExecutionSummaryQuery.parse({ region: options.region, date })),
    ...Object.fromEntries(
      ['institution', 'variety', 'city', 'batch'].map((by) => [`list by ${by}`, (db: Db, date: string) => listExecution(db, ExecutionListQuery.parse({ region: options.region, date, by }))]),
    ),
    'institution drill-down': (db, date) => getInstitutionExecution(db, { id: options.institutionId, region: options.region, date: date as `${number}-${number}-${number}`, threshold: 0.8 }),
    overview: (db, date) => getOverview(db, { region: options.region, date: date as `${number}-${number}-${number}` }),
  };
  try {
    for (const date of options.dates)
      for (const [name, read] of Object.entries(reads)) {
        catching = `${name} @ ${date}`;
        await read(database.db, date);
        catching = null;
      }
  } finally {
    await database.close();
  }

  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const explain = async (s: Statement) =>
    (await sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${s.text}`, s.params as postgres.ParameterOrJSON<never>[])).map((r) => r['QUERY PLAN']).join('\n');
  const all = [...statements.values()];
  const withouts: Without[] = [];
  try {
    console.error(`plans: ${all.length} statements of ${Object.keys(reads).length} reads at ${options.dates.join(', ')} …`);
    for (const s of all) {
      s.plan = await explain(s);
      s.ms = executionMs(s.plan);
      s.indexes = indexesOf(s.plan);
    }
    const used = options.indexes === false ? [] : [...new Set(all.flatMap((s) => s.indexes))].sort();
    for (const index of used) {
      const [info] = await sql<{ table: string; definition: string; constraint: string | null }[]>`
        select c.relname as "table", pg_get_indexdef(i.indexrelid) as definition, k.conname as "constraint"
        from pg_index i join pg_class x on x.oid = i.indexrelid join pg_class c on c.oid = i.indrelid
        left join pg_constraint k on k.conindid = i.indexrelid and k.contype in ('p', 'u')
        where x.relname = ${index} and x.relnamespace = 'public'::regnamespace`;
      if (!info) continue;
      console.error(`plans: without ${index} (${all.filter((x) => x.indexes.includes(index)).length} statements) …`);
      const without: Without = { index, table: info.table, definition: info.definition, statements: [] };
      await sql
        .begin(async (tx) => {
          await tx.unsafe(info.constraint ? `alter table "${info.table}" drop constraint "${info.constraint}" cascade` : `drop index "${index}"`);
          for (const s of all.filter((x) => x.indexes.includes(index))) {
            // without some indexes a statement runs for hours (a scan of the purchases per product): it is
            // stopped, and said to take more than the limit
            await tx.unsafe(`savepoint attempt`);
            await tx.unsafe(`set local statement_timeout = ${WITHOUT_LIMIT_MS}`);
            const plan = await tx
              .unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${s.text}`, s.params as postgres.ParameterOrJSON<never>[])
              .then((rows) => rows.map((r) => r['QUERY PLAN']).join('\n'))
              .catch(async (err: unknown) => {
                const { code, message } = err as { code?: string; message?: string };
                await tx.unsafe(`rollback to savepoint attempt`);
                // a GROUP BY on a primary key is valid only while the key exists
                if (code !== '57014') return `(refused without it: ${message})`;
                const estimate = await tx.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${s.text}`, s.params as postgres.ParameterOrJSON<never>[]);
                return `(stopped after ${WITHOUT_LIMIT_MS / 1000} s; the plan it would run:)\n${estimate.map((r) => r['QUERY PLAN']).join('\n')}`;
              });
            without.statements.push({ id: s.id, ms: plan.startsWith('(stopped') ? Number.POSITIVE_INFINITY : plan.startsWith('(refused') ? NaN : executionMs(plan), plan });
          }
          throw new RollBack();
        })
        .catch((err: unknown) => {
          if (!(err instanceof RollBack)) throw err;
        });
      withouts.push(without);
    }
  } finally {
    await sql.end();
  }
  return markdown(all, withouts, Object.keys(reads), options.dates, options.indexes !== false);
}

class RollBack extends Error {}

function markdown(all: Statement[], withouts: Without[], reads: string[], dates: string[], indexes: boolean): string {
  const out: string[] = [];
  out.push('## Reads', '', '| read | date | statements | sum of execution times | slowest statement |', '|---|---|---|---|---|');
  for (const date of dates)
    for (const read of reads) {
      const mine = all.filter((s) => s.reads.has(`${read} @ ${date}`));
      const slowest = mine.reduce((a, b) => (b.ms > a.ms ? b : a), mine[0]!);
      out.push(`| ${read} | ${date} | ${mine.length} | ${round(mine.reduce((t, s) => t + s.ms, 0), 1)} ms | #${slowest.id} ${round(slowest.ms, 1)} ms |`);
    }
  if (indexes) out.push('', '## Indexes the plans use, and the same statements without each', '', '| index | used by | with the index | without it | ratio |', '|---|---|---|---|---|');
  for (const w of withouts) {
    const ran = w.statements.filter((x) => !Number.isNaN(x.ms));
    const refused = w.statements.length - ran.length;
    const withMs = ran.reduce((t, x) => t + (all.find((s) => s.id === x.id)?.ms ?? 0), 0);
    const withoutMs = ran.reduce((t, x) => t + x.ms, 0);
    const without = Number.isFinite(withoutMs) ? `${round(withoutMs, 1)} ms` : `over ${WITHOUT_LIMIT_MS / 1000} s (stopped)`;
    const ratio = Number.isFinite(withoutMs) ? `${round(withoutMs / Math.max(withMs, 0.001), 1)}×` : `over ${round(WITHOUT_LIMIT_MS / Math.max(withMs, 0.001), 0)}×`;
    const usedBy = w.statements.map((x) => `#${x.id}${Number.isNaN(x.ms) ? ' (needs it)' : ''}`).join(', ');
    out.push(`| \`${w.index}\` | ${usedBy} | ${round(withMs, 1)} ms | ${without} | ${ratio}${refused ? `; ${refused} refused without it` : ''} |`);
  }
  out.push('', '## Statements', '');
  for (const s of all) {
    out.push(`### #${s.id}: ${round(s.ms, 1)} ms`, '', `Sent by: ${[...s.reads].join('; ')}.`, '', `\`${firstLine(s.text)}…\``, '', '```', s.plan, '```', '');
    for (const w of withouts) {
      const x = w.statements.find((y) => y.id === s.id);
      if (x) out.push(`Without \`${w.index}\` (${w.definition}): ${Number.isNaN(x.ms) ? 'refused' : Number.isFinite(x.ms) ? `${round(x.ms, 1)} ms` : 'stopped'}`, '', '```', x.plan, '```', '');
    }
  }
  return out.join('\n');
}

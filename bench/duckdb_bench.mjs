// The DuckDB peer of bench/run.sh, through @duckdb/node-api.
//   node duckdb_bench.mjs events DIR          read_csv of events.csv, counts per type and per lead
//   node duckdb_bench.mjs events_type DIR     the same, per type only
//   node duckdb_bench.mjs scan DIR            read_csv of events.csv, counts per channel and type
//   node duckdb_bench.mjs funnel DIR FROM TO  per-channel leads, mqls, sqls, wins in [FROM, TO)
// Prints a small summary so that the peers' answers can be compared.
import { DuckDBInstance } from '@duckdb/node-api';

const [task, dir, from, to] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const q = (s) => s.replaceAll("'", "''");

if (task === 'events') {
  // One scan, both groupings (GROUPING SETS), the groups counted in DuckDB
  // so that a million result rows are not copied into JavaScript.
  const r = await con.runAndReadAll(`
    SELECT count(*) FILTER (WHERE type IS NOT NULL) AS types,
           count(*) FILTER (WHERE lead_id IS NOT NULL) AS leads,
           sum(n) FILTER (WHERE type IS NOT NULL) AS events
    FROM (SELECT type, lead_id, count(*) AS n
          FROM read_csv('${q(dir)}/events.csv')
          GROUP BY GROUPING SETS ((type), (lead_id)))`);
  const [types, leads, events] = r.getRows()[0];
  console.log(`types ${types} leads ${leads} events ${events}`);
} else if (task === 'events_type') {
  const r = await con.runAndReadAll(`
    SELECT count(*) AS types, sum(n) AS events
    FROM (SELECT type, count(*) AS n FROM read_csv('${q(dir)}/events.csv') GROUP BY type)`);
  const [types, events] = r.getRows()[0];
  console.log(`types ${types} events ${events}`);
} else if (task === 'scan') {
  // The group-by scan `run` is held against: one pass over the
  // events, a count per channel and type.
  const r = await con.runAndReadAll(`
    SELECT count(*) AS groups, sum(n) AS events
    FROM (SELECT channel, type, count(*) AS n FROM read_csv('${q(dir)}/events.csv')
          GROUP BY channel, type)`);
  const [groups, events] = r.getRows()[0];
  console.log(`groups ${groups} events ${events}`);
} else if (task === 'funnel') {
  // SPEC §3's normalisation of the channel; SPEC §6's flow counts, each by
  // its own time stamp in the window.
  const r = await con.runAndReadAll(`
    WITH l AS (
      SELECT coalesce(nullif(lower(regexp_replace(trim(channel), '[ -]+', '_', 'g')), ''), 'unknown') AS channel,
             TRY_CAST(created_at AS TIMESTAMPTZ) AS c, TRY_CAST(mql_at AS TIMESTAMPTZ) AS m,
             TRY_CAST(sql_at AS TIMESTAMPTZ) AS s, TRY_CAST(won_at AS TIMESTAMPTZ) AS w
      FROM read_csv('${q(dir)}/leads.csv', all_varchar = true))
    SELECT channel,
           count(*) FILTER (WHERE c >= '${from}'::TIMESTAMPTZ AND c < '${to}'::TIMESTAMPTZ) AS leads,
           count(*) FILTER (WHERE m >= '${from}'::TIMESTAMPTZ AND m < '${to}'::TIMESTAMPTZ) AS mqls,
           count(*) FILTER (WHERE s >= '${from}'::TIMESTAMPTZ AND s < '${to}'::TIMESTAMPTZ) AS sqls,
           count(*) FILTER (WHERE w >= '${from}'::TIMESTAMPTZ AND w < '${to}'::TIMESTAMPTZ) AS wins
    FROM l GROUP BY channel ORDER BY channel`);
  for (const row of r.getRows())
    console.log(row.map(String).join(','));
} else {
  console.error('usage: duckdb_bench.mjs events|events_type|scan|funnel DIR [FROM TO]');
  process.exit(64);
}
con.closeSync();
instance.closeSync();

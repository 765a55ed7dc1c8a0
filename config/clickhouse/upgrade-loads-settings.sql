-- The column of `loads` that records a digest of the settings a file was
-- read with (columns, aliases, dialect, currency, a spend file's fixed
-- channel), for a database created before it (ClickHouse 18.16 SQL).
-- `mqlreport load` and `run --engine clickhouse` refuse such a database and
-- name this file.
--
-- Apply once on every node of the cluster, with {database} replaced as for
-- schema.sql, e.g.
--   sed 's/{database}/mqlreport/g' upgrade-loads-settings.sql |
--     clickhouse-client --multiquery
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: on a node that has the
-- column already, the first statement fails with "column with this name
-- already exists" and nothing changes. The local table comes first, then
-- the Distributed table over it. Loads recorded before hold '', which a run
-- takes as read with its own settings (docs/scale.md).

ALTER TABLE {database}.loads_local ADD COLUMN settings String DEFAULT '';
ALTER TABLE {database}.loads ADD COLUMN settings String DEFAULT '';

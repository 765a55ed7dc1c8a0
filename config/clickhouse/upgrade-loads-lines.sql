-- Columns of `loads` that schema.sql gained after its first release, for a
-- database created before (ClickHouse 18.16 SQL). `mqlreport load` and
-- `run --engine clickhouse` refuse such a database and name this file.
--
-- Apply once on every node of the cluster, with {database} replaced as for
-- schema.sql, e.g.
--   sed 's/{database}/mqlreport/g' upgrade-loads-lines.sql |
--     clickhouse-client --multiquery
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: on a node that has the
-- columns already, the first statement fails with "column with this name
-- already exists" and nothing changes. The local table comes first, then
-- the Distributed table over it. Loads recorded before hold 0 in both
-- columns (docs/scale.md).

ALTER TABLE {database}.loads_local ADD COLUMN preamble_lines Int64 DEFAULT 0;
ALTER TABLE {database}.loads_local ADD COLUMN footer_lines Int64 DEFAULT 0;
ALTER TABLE {database}.loads ADD COLUMN preamble_lines Int64 DEFAULT 0;
ALTER TABLE {database}.loads ADD COLUMN footer_lines Int64 DEFAULT 0;

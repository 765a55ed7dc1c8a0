-- The column of `loads` that keeps a file's first amount that could not be
-- read (left empty), as written, for a database created before it
-- (ClickHouse 18.16 SQL): the hint of the health checks unparseable_share
-- and unparseable_field shows it on the engine path as on the embedded
-- one. `mqlreport load` and `run --engine clickhouse` refuse such a
-- database and name this file.
--
-- Apply once on every node of the cluster, with {database} replaced as for
-- schema.sql, e.g.
--   sed 's/{database}/mqlreport/g' upgrade-loads-amount-unread.sql |
--     clickhouse-client --multiquery
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: on a node that has the
-- column already, its statement fails with "column with this name already
-- exists" and nothing changes. The local table comes first, then the
-- Distributed table over it. Loads recorded before hold '': a run over them
-- gives the hint without an example (docs/scale.md).

ALTER TABLE {database}.loads_local ADD COLUMN amount_unread String DEFAULT '';
ALTER TABLE {database}.loads ADD COLUMN amount_unread String DEFAULT '';

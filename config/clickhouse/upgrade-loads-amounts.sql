-- The columns of `loads` that record a file's amounts read as written but
-- perhaps not as meant (another currency's sign; three digits after every
-- decimal point), for a database created before them (ClickHouse 18.16
-- SQL). `mqlreport load` and `run --engine clickhouse` refuse such a
-- database and name this file.
--
-- Apply once on every node of the cluster, with {database} replaced as for
-- schema.sql, e.g.
--   sed 's/{database}/mqlreport/g' upgrade-loads-amounts.sql |
--     clickhouse-client --multiquery
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: on a node that has a
-- column already, its statement fails with "column with this name already
-- exists" and nothing changes. The local table comes first, then the
-- Distributed table over it. Loads recorded before hold 0: their files'
-- amounts are not counted (docs/scale.md).

ALTER TABLE {database}.loads_local ADD COLUMN amounts_other_sign Int64 DEFAULT 0;
ALTER TABLE {database}.loads_local ADD COLUMN amounts_thousandths Int64 DEFAULT 0;
ALTER TABLE {database}.loads ADD COLUMN amounts_other_sign Int64 DEFAULT 0;
ALTER TABLE {database}.loads ADD COLUMN amounts_thousandths Int64 DEFAULT 0;

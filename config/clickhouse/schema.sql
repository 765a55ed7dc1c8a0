-- The canonical model of SPEC §3 as ClickHouse tables (ClickHouse 18.16 SQL).
--
-- Apply on every node of the cluster, with {database} and {cluster} replaced
-- by the database of [engine] and the cluster's name in remote_servers, e.g.
--   sed 's/{database}/mqlreport/g; s/{cluster}/marketing/g' schema.sql |
--     clickhouse-client --multiquery
-- Each *_local table holds one node's share; the table without the suffix is
-- the Distributed table over all nodes that `mqlreport load` writes to and
-- `run --engine clickhouse` reads. Leads, events and opportunities are
-- sharded by lead id, so that one lead's rows are all on one node and every
-- per-lead step runs where the data is. Timestamps are Int64 milliseconds
-- since 1970 UTC; -9223372036854775808 is an empty one. Each loaded file's
-- rows carry the attempt that wrote them and live in that attempt's
-- partition; only attempts recorded in `loads` are read. The rows a load
-- rejected are kept the same way in `rejects`, for rejects.csv. Every
-- attempt is named in `attempts` before its first row is written, so that
-- a later load of the same file can drop the partitions of an attempt that
-- never reached `loads` (killed or failed half-way) on every node.

CREATE DATABASE IF NOT EXISTS {database};

CREATE TABLE IF NOT EXISTS {database}.loads_local (
    load_id String,            -- SHA-256 of the source file
    attempt String,            -- the load attempt whose rows count
    source String,             -- leads, events, spend, opportunities
    location String,
    preset String,
    bytes Int64,
    rows_read Int64,
    rows_accepted Int64,
    rows_rejected Int64,
    rejected_by_reason String, -- "reason=n;reason=n"
    warnings_by_field String,  -- "field=n;field=n"
    duplicates Int64,
    leads_have_mql UInt8,
    rows_inserted Int64,
    loaded_at Int64,
    -- added after the first release (upgrade-loads-lines.sql adds them to
    -- an older database): a vendor report's lines before its header and
    -- after its data, skipped and counted by ingest
    preamble_lines Int64 DEFAULT 0,
    footer_lines Int64 DEFAULT 0,
    -- added later (upgrade-loads-timezone.sql): the IANA zone the file's
    -- times without an offset were read in; a run in another zone refuses
    -- the load ('' for loads recorded before the column)
    timezone String DEFAULT '',
    -- added later (upgrade-loads-settings.sql): a digest of the settings
    -- the file was read with (columns, aliases, dialect, currency, a fixed
    -- channel); a run with other settings refuses the load ('' before)
    settings String DEFAULT '',
    -- added later (upgrade-loads-amounts.sql): the file's amounts written
    -- with another currency's sign than the report's, and those that may be
    -- thousands read as thousandths (every amount of the file with a
    -- decimal point has three digits after it), for the data quality
    amounts_other_sign Int64 DEFAULT 0,
    amounts_thousandths Int64 DEFAULT 0,
    -- added later (upgrade-loads-amount-unread.sql): the file's first
    -- amount that could not be read (left empty), as written, which the
    -- health checks' hint shows ('' when none, and before the column)
    amount_unread String DEFAULT ''
) ENGINE = MergeTree ORDER BY (source, load_id, loaded_at);

CREATE TABLE IF NOT EXISTS {database}.loads AS {database}.loads_local
    ENGINE = Distributed({cluster}, {database}, loads_local, cityHash64(load_id));

CREATE TABLE IF NOT EXISTS {database}.attempts_local (
    load_id String,            -- SHA-256 of the source file
    source String,
    attempt String,            -- named before its first row is written
    started_at Int64
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (source, load_id);

CREATE TABLE IF NOT EXISTS {database}.attempts AS {database}.attempts_local
    ENGINE = Distributed({cluster}, {database}, attempts_local, cityHash64(load_id));

CREATE TABLE IF NOT EXISTS {database}.leads_local (
    attempt String,
    seq UInt32,                -- position in the file (first occurrence)
    lead_id String,
    bucket UInt16 DEFAULT cityHash64(lead_id) % 1024,
    created_at Int64,
    mql_at Int64,
    accepted_at Int64,
    rejected_at Int64,
    sql_at Int64,
    first_contact_at Int64,
    opportunity_at Int64,
    won_at Int64,
    lost_at Int64,
    amount Float64,
    amount_set UInt8,
    company_size Int64,        -- -1 when empty
    channel String,
    campaign String,
    job_title String,
    industry String,
    country String,
    converted_opp String,
    line UInt32
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (bucket, lead_id);

CREATE TABLE IF NOT EXISTS {database}.leads AS {database}.leads_local
    ENGINE = Distributed({cluster}, {database}, leads_local, cityHash64(lead_id));

CREATE TABLE IF NOT EXISTS {database}.events_local (
    attempt String,
    seq UInt32,                -- order among the file's events of one instant
    lead_id String,            -- '' when no lead of the load had the id
    bucket UInt16 DEFAULT cityHash64(lead_id) % 1024,
    at Int64,
    type String,
    channel String,
    campaign String
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (bucket, lead_id, at, seq);

CREATE TABLE IF NOT EXISTS {database}.events AS {database}.events_local
    ENGINE = Distributed({cluster}, {database}, events_local, cityHash64(lead_id));

CREATE TABLE IF NOT EXISTS {database}.spend_local (
    attempt String,
    seq UInt32,
    day Int64,                 -- local midnight that starts the spend's day
    amount Float64,
    channel String,
    campaign String
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (day, seq);

CREATE TABLE IF NOT EXISTS {database}.spend AS {database}.spend_local
    ENGINE = Distributed({cluster}, {database}, spend_local, rand());

CREATE TABLE IF NOT EXISTS {database}.opportunities_local (
    attempt String,
    seq UInt32,
    opportunity_id String,
    lead_id String,            -- '' when orphaned at load
    bucket UInt16 DEFAULT cityHash64(lead_id) % 1024,
    created Int64,
    closed Int64,
    amount Float64,
    amount_set UInt8,
    stage String,
    is_won Int8,               -- 1 true, 0 false, -1 empty
    is_closed Int8
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (bucket, lead_id, seq);

CREATE TABLE IF NOT EXISTS {database}.opportunities AS {database}.opportunities_local
    ENGINE = Distributed({cluster}, {database}, opportunities_local, cityHash64(lead_id));

CREATE TABLE IF NOT EXISTS {database}.rejects_local (
    attempt String,            -- the load attempt, as in the tables above
    source String,             -- leads, events, spend, opportunities
    seq UInt32,                -- order among the load's rejects, as ingest met them
    line UInt32,               -- 1-based line where the row starts in its file
    reason String,
    fields Array(String)       -- the row's raw fields, byte for byte
) ENGINE = MergeTree PARTITION BY attempt ORDER BY (source, seq);

CREATE TABLE IF NOT EXISTS {database}.rejects AS {database}.rejects_local
    ENGINE = Distributed({cluster}, {database}, rejects_local, cityHash64(attempt));

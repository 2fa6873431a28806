-- The roster (应报单位名单): the units expected to report for a region and year, as the office
-- lists them (`ogi roster import`), each matched to an agency (tasks/identity/roster.py; matched
-- again whenever the agencies are resolved: every load, reprocess and `ogi agencies` change).
-- Completeness (consolidate.sql) counts against it when there is one.

create sequence roster_ids start 1;

create table rosters (
    roster_id      integer primary key default nextval('roster_ids'),
    report_year    integer not null,
    region_code    varchar,            -- division-code prefix; null: the roster of every region
    source_file    varchar not null,
    source_sha256  varchar not null,
    entries        integer not null,
    imported_by    varchar not null,
    imported_at    timestamp not null,
    matched_at     timestamp not null
);
comment on table rosters is 'Rosters of the units expected to report (应报单位), one per report year and region (ogi roster import; --replace replaces it).';
comment on column rosters.roster_id is 'Roster number.';
comment on column rosters.report_year is 'Year the units are expected to report on.';
comment on column rosters.region_code is 'Division-code prefix the roster is for (consolidate --region); null for the consolidation of every region.';
comment on column rosters.source_file is 'The file imported (xlsx or csv), as given.';
comment on column rosters.source_sha256 is 'sha256 of the file imported.';
comment on column rosters.entries is 'Units listed.';
comment on column rosters.imported_by is 'Who imported it.';
comment on column rosters.imported_at is 'When.';
comment on column rosters.matched_at is 'When its entries were last matched to the agencies.';

create table roster_entries (
    roster_id      integer not null,
    seq            integer not null,   -- row of the file (the header is row 1)
    listed_name    varchar not null,
    division_code  varchar,
    credit_code    varchar,
    agency_kind    varchar,            -- department | government | null
    parent_name    varchar,
    agency_id      integer,            -- null: no agency of the warehouse matches
    match_method   varchar,            -- exact | alias | credit_code | division_name | fuzzy
    match_score    double,
    match_note     varchar,
    primary key (roster_id, seq)
);
comment on table roster_entries is 'The units of a roster and the agency each is matched to: exact printed name (agency_names), an alias of the overrides file, the credit code, the division code + name without place names, then a fuzzy match (rapidfuzz) only when unambiguous.';
comment on column roster_entries.roster_id is 'The roster (rosters).';
comment on column roster_entries.seq is 'Row of the file the unit is listed on (the header is row 1).';
comment on column roster_entries.listed_name is 'Name as the roster lists it (单位名称).';
comment on column roster_entries.division_code is 'Division code the roster gives (区划代码), 6 digits, if any.';
comment on column roster_entries.credit_code is 'Unified social credit code the roster gives (统一社会信用代码), if any.';
comment on column roster_entries.agency_kind is 'department or government as the roster gives it (类别), if any.';
comment on column roster_entries.parent_name is 'The unit above it as the roster gives it (上级), if any.';
comment on column roster_entries.agency_id is 'The agency matched (dim_agency); null when none matches (not loaded yet, or printed under another name: ogi agencies alias).';
comment on column roster_entries.match_method is 'How it was matched: exact (a name the agency printed), alias (an alias of the overrides file), credit_code, division_name (division code + name without place names), fuzzy; null when unmatched.';
comment on column roster_entries.match_score is 'For fuzzy: the similarity of the names (rapidfuzz ratio, 0-100).';
comment on column roster_entries.match_note is 'For an unmatched unit: why (ambiguous, or the nearest agency to check).';

alter table consolidations add column expected_basis varchar;
alter table consolidations add column roster_id integer;
alter table consolidations add column agencies_reported integer;
alter table consolidations add column reported_on_time integer;
alter table consolidations add column reported_late integer;
alter table consolidations add column expected_quarantined integer;
comment on column consolidations.expected_basis is 'Who is expected to report: roster (the imported roster of the year and region), list (--agencies), previous_years (agencies with a current report in either of the two years before).';
comment on column consolidations.roster_id is 'The roster counted against (rosters), when expected_basis is roster.';
comment on column consolidations.agencies_reported is 'Expected agencies with a summed report for the year (已报).';
comment on column consolidations.reported_on_time is 'Of those, published by the statutory deadline (dim_year).';
comment on column consolidations.reported_late is 'Of those, published after it (W_LATE); the rest have no known publication date or no deadline (townships).';
comment on column consolidations.expected_quarantined is 'Expected agencies whose only report for the year was quarantined (reported but not summed).';
comment on column consolidations.agencies_expected is 'Agencies expected to report (应报): the roster, else the list given, else the agencies with a current report in either of the two years before.';
comment on column consolidations.agencies_missing is 'Expected agencies with no report for the year at all (未报).';

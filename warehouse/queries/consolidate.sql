-- Consolidate one year over a scope of agencies. Runs in one transaction (tasks/consolidate/store.py).
-- Parameters: $key (consolidation key), $year, $region (division-code prefix or null),
-- $agencies (list of names or null: any name an agency printed, see agency_names; without it the
-- imported roster of the year and region is the expected list, see rosters), $kind (department | government | null), $at (timestamp).
-- Running it again for the same key replaces the earlier result.

delete from consolidation_yoy where consolidation_key = $key;
delete from fct_consolidated_table2 where consolidation_key = $key;
delete from fct_consolidated_table3 where consolidation_key = $key;
delete from fct_consolidated_table4 where consolidation_key = $key;
delete from consolidation_agencies where consolidation_key = $key;
delete from consolidations where consolidation_key = $key;

-- a listed name is the agency that printed it (under any of its names), or none
create or replace temp table listed_agencies as
select l.agency_name, (select min(n.agency_id) from agency_names n where n.agency_name = l.agency_name) as agency_id
from (select distinct unnest($agencies::varchar[]) as agency_name) l;

-- the roster imported for the year and region (ogi roster import), unless a list was given: its
-- units as matched to agencies (tasks/identity/roster.py), of the kind asked for where it is known
create or replace temp table scope_roster as
select roster_id
from rosters
where $agencies::varchar[] is null and report_year = $year::integer and region_code is not distinct from $region::varchar;

create or replace temp table roster_expected as
select e.listed_name, e.agency_id, coalesce(e.agency_kind, a.agency_kind) as agency_kind
from roster_entries e
left join dim_agency a using (agency_id)
where e.roster_id in (select roster_id from scope_roster)
  and ($kind::varchar is null or coalesce(e.agency_kind, a.agency_kind, $kind::varchar) = $kind::varchar);

-- the agencies in scope: region prefix, kind and list are all optional and combine; the roster's
-- agencies are in it wherever their division is
create or replace temp table scope_agencies as
select a.agency_id, a.agency_name, a.agency_kind, a.agency_level, a.division_code
from dim_agency a
where (($region::varchar is null or starts_with(a.division_code, $region::varchar))
       or a.agency_id in (select agency_id from roster_expected))
  and ($kind::varchar is null or a.agency_kind = $kind::varchar)
  and ($agencies::varchar[] is null or a.agency_id in (select agency_id from listed_agencies));

-- their loaded and quarantined reports for the year and the year before; rank 1 is the loaded
-- report summed: the current report of the agency and year (current_reports), one per agency
create or replace temp table scope_reports as
select d.document_id, d.agency_id, d.report_year, d.status, d.status_reason, d.template, d.publication_date,
       case when c.report_role = 'current' then 1 else 2 end as report_rank, c.report_role, c.current_document_id
from documents d
join scope_agencies s using (agency_id)
left join current_reports c using (document_id)
where d.report_year in ($year::integer, $year::integer - 1)
  and d.status in ('loaded', 'quarantined');

create or replace temp table summed_reports as
select document_id, agency_id, report_year
from scope_reports
where status = 'loaded' and report_rank = 1;

-- like for like: the agencies summed in both years
create or replace temp table like_agencies as
select agency_id
from summed_reports
group by agency_id
having count(distinct report_year) = 2;

-- expected (应报): the list given; else the roster (an agency once, however many of its names it
-- lists; an unmatched unit by its listed name); else the agencies in scope with a current report
-- for either of the two years before
create or replace temp table expected_agencies as
select coalesce(a.agency_name, l.agency_name) as agency_name, l.agency_id, a.agency_kind, a.agency_level, a.division_code
from listed_agencies l
left join dim_agency a using (agency_id)
union all
select a.agency_name, a.agency_id, a.agency_kind, a.agency_level, a.division_code
from dim_agency a
where a.agency_id in (select agency_id from roster_expected)
union all
select listed_name, null, agency_kind, null, null
from roster_expected
where agency_id is null
union all
select s.agency_name, s.agency_id, s.agency_kind, s.agency_level, s.division_code
from scope_agencies s
where $agencies::varchar[] is null
  and not exists (select 1 from scope_roster)
  and exists (
      select 1 from current_reports c
      where c.agency_id = s.agency_id and c.report_role = 'current'
        and c.report_year in ($year::integer - 1, $year::integer - 2)
  );

insert into consolidation_agencies
with deadlines as (
    select department_deadline, government_deadline
    from dim_year
    where report_year = $year::integer
),
reports as (
    select
        s.agency_name, s.agency_id, s.agency_kind, s.division_code,
        exists (select 1 from expected_agencies e where e.agency_id = s.agency_id) as expected,
        case
            when r.status = 'quarantined' then 'quarantined'
            when r.report_rank = 1 then 'summed'
            else 'not_summed_duplicate'
        end as status,
        r.document_id, r.template, r.publication_date,
        case
            when s.agency_level = 'township' then null  -- Art. 49 does not cover townships and street offices
            when s.agency_kind = 'government' then (select government_deadline from deadlines)
            else (select department_deadline from deadlines)
        end as deadline,
        r.status_reason, r.report_role, r.current_document_id
    from scope_reports r
    join scope_agencies s using (agency_id)
    where r.report_year = $year::integer
)
select $key, agency_name, agency_id, agency_kind, division_code, expected, status, document_id, template,
       publication_date, deadline, publication_date > deadline, null,
       case
           when status = 'quarantined' then status_reason
           when status = 'not_summed_duplicate' then report_role || ' of ' || current_document_id
                || ': another loaded report of the same agency and year is summed (current_reports)'
           when template = 'legacy' then 'legacy layout: no tables 2-4 to sum'
           else status_reason  -- a loaded report accepted despite a blocking rule says why
       end
from reports
union all
select $key, e.agency_name, e.agency_id, e.agency_kind, e.division_code, true, 'missing', null, null, null,
       null, null,
       (select max(d.report_year) from documents d
        where d.agency_id = e.agency_id and d.status = 'loaded' and d.report_year < $year::integer),
       case when e.agency_id is not null then 'no report for the year'
            when exists (select 1 from scope_roster) then 'roster unit matched to no agency (ogi roster list)'
            else 'no document of this agency in the warehouse' end
from expected_agencies e
where e.agency_id is null or not exists (
    select 1 from scope_reports r where r.agency_id = e.agency_id and r.report_year = $year::integer
);

insert into fct_consolidated_table3
with cells as (
    select f.row_key, f.column_key, f.requests
    from fct_table3 f
    join summed_reports s using (document_id)
    where s.report_year = $year::integer
)
select $key, r.row_key, c.column_key, sum(x.requests)::bigint, count(x.requests), count(x.row_key) - count(x.requests)
from ref_table3_rows r
cross join ref_table3_columns c
left join cells x on x.row_key = r.row_key and x.column_key = c.column_key
group by r.row_key, c.column_key;

insert into fct_consolidated_table4
with cells as (
    select f.cell_key, f.cases
    from fct_table4 f
    join summed_reports s using (document_id)
    where s.report_year = $year::integer
)
select $key, r.cell_key, sum(x.cases)::bigint, count(x.cases), count(x.cell_key) - count(x.cases)
from ref_table4_cells r
left join cells x using (cell_key)
group by r.cell_key;

insert into fct_consolidated_table2
with cells as (
    select f.template, f.row_key, f.column_key, f.value, f.value_text
    from fct_table2 f
    join summed_reports s using (document_id)
    where s.report_year = $year::integer
)
select $key, r.template, r.row_key, r.column_key, sum(x.value), count(x.value),
       count(x.value_text) filter (where x.value is null)
from ref_table2_cells r
left join cells x on x.template = r.template and x.row_key = r.row_key and x.column_key = r.column_key
group by r.template, r.row_key, r.column_key;

insert into consolidation_yoy
    (consolidation_key, table_name, row_key, column_key, value, value_prior_year, change, change_pct,
     like_value, like_value_prior_year, like_change, like_change_pct)
with like_cells as (
    select s.report_year, 'table3' as table_name, f.row_key, f.column_key, f.requests as value
    from fct_table3 f
    join summed_reports s using (document_id)
    where s.agency_id in (select agency_id from like_agencies) and f.column_key = 'total'
    union all
    select s.report_year, 'table4', '', f.cell_key, f.cases
    from fct_table4 f
    join summed_reports s using (document_id)
    where s.agency_id in (select agency_id from like_agencies)
),
like_sums as (
    select table_name, row_key, column_key,
           sum(value) filter (where report_year = $year::integer)::bigint as value,
           sum(value) filter (where report_year = $year::integer - 1)::bigint as prior
    from like_cells
    group by all
),
prior as (
    select 'table3' as table_name, f.row_key, f.column_key, sum(f.requests)::bigint as value
    from fct_table3 f
    join summed_reports s using (document_id)
    where s.report_year = $year::integer - 1 and f.column_key = 'total'
    group by all
    union all
    select 'table4', '', f.cell_key, sum(f.cases)::bigint
    from fct_table4 f
    join summed_reports s using (document_id)
    where s.report_year = $year::integer - 1
    group by all
),
current as (
    select 'table3' as table_name, row_key, column_key, requests as value
    from fct_consolidated_table3
    where consolidation_key = $key and column_key = 'total'
    union all
    select 'table4', '', cell_key, cases
    from fct_consolidated_table4
    where consolidation_key = $key
)
select $key, c.table_name, c.row_key, c.column_key, c.value, p.value, c.value - p.value,
       case when p.value > 0 then round(100.0 * (c.value - p.value) / p.value, 1) end,
       l.value, l.prior, l.value - l.prior,
       case when l.prior > 0 then round(100.0 * (l.value - l.prior) / l.prior, 1) end
from current c
left join prior p using (table_name, row_key, column_key)
left join like_sums l using (table_name, row_key, column_key);

-- completeness of the expected agencies: reported (on time, late), reported but quarantined, not reported
create or replace temp table expected_status as
select agency_id,
       bool_or(status = 'summed') as reported,
       bool_or(status = 'summed' and published_late = false) as on_time,
       bool_or(status = 'summed' and published_late) as late,
       bool_or(status = 'quarantined') as quarantined
from consolidation_agencies
where consolidation_key = $key and expected and agency_id is not null
group by agency_id;

insert into consolidations
    (consolidation_key, report_year, region_code, agency_list, agency_kind, agencies_expected, reports_summed,
     reports_summed_prior_year, agencies_quarantined, agencies_missing, consolidated_at, agencies_like_for_like,
     expected_basis, roster_id, agencies_reported, reported_on_time, reported_late, expected_quarantined)
select $key, $year::integer, $region::varchar, $agencies::varchar[], $kind::varchar,
       (select count(*) from expected_agencies),
       (select count(*) from summed_reports where report_year = $year::integer),
       (select count(*) from summed_reports where report_year = $year::integer - 1),
       (select count(distinct agency_id) from consolidation_agencies a
        where a.consolidation_key = $key and a.status = 'quarantined'
          and not exists (select 1 from consolidation_agencies b
                          where b.consolidation_key = $key and b.agency_id = a.agency_id and b.status = 'summed')),
       (select count(*) from consolidation_agencies where consolidation_key = $key and status = 'missing'),
       $at::timestamp,
       (select count(*) from like_agencies),
       case when $agencies::varchar[] is not null then 'list'
            when exists (select 1 from scope_roster) then 'roster'
            else 'previous_years' end,
       (select min(roster_id) from scope_roster),
       (select count(*) from expected_status where reported),
       (select count(*) from expected_status where reported and on_time),
       (select count(*) from expected_status where reported and late and not on_time),
       (select count(*) from expected_status where quarantined and not reported);

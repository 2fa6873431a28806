-- Write the agencies tasks/identity resolved, for the agencies in identity_scope (every agency, or
-- those a batch's documents can join, split or change). Reads the frames identity_keys (new natural
-- keys and their ids), identity_documents (document → agency_id, natural_key), identity_agencies (one
-- row per agency in scope), identity_parents (agencies outside the scope whose parent changed),
-- identity_scope (agency ids whose rows are rewritten) and identity_overrides (the overrides file).
-- Same transaction as the load, or on its own after `ogi agencies merge|split|alias`. The facts of
-- documents that changed agency are moved by move_facts.sql.

insert into agency_keys
select natural_key, agency_id, now()::timestamp from identity_keys
on conflict do nothing;

update documents d set agency_id = i.agency_id, natural_key = i.natural_key
from identity_documents i
where d.document_id = i.document_id
  and (d.agency_id is distinct from i.agency_id or d.natural_key is distinct from i.natural_key);

delete from dim_agency where agency_id in (select agency_id from identity_scope);

insert into dim_agency
select agency_id, natural_key, agency_name, short_name, division_code, province, county, agency_level,
       agency_kind, parent_id, credit_code, first_year, last_year
from identity_agencies;

update dim_agency a set parent_id = p.parent_id
from identity_parents p
where a.agency_id = p.agency_id;

delete from agency_names where agency_id in (select agency_id from identity_scope);

insert into agency_names
select d.agency_id, d.agency_name, min(d.report_year), max(d.report_year), count(*),
       list(d.document_id order by d.document_id)
from documents d
where d.agency_id in (select agency_id from identity_scope)
group by all;

delete from agency_overrides;

insert into agency_overrides
select seq, action, agency, other, agency_name, reason, decided_by, decided_at from identity_overrides;

-- one current report per agency and year: identical tables are one report (the first to arrive is
-- kept); of different ones the later publication, else the later first arrival, is current
delete from current_reports
where agency_id in (select agency_id from identity_scope)
   or document_id in (select document_id from identity_documents);

insert into current_reports
with loaded as (
    select d.document_id, d.agency_id, d.report_year, d.publication_date,
           (select min(a.arrived_at) from document_arrivals a where a.document_id = d.document_id) as arrived_at,
           d.tables_digest as digest
    from documents d
    where d.status = 'loaded' and d.report_year is not null
      and d.agency_id in (select agency_id from identity_scope)
),
versions as (
    select *,
           first_value(document_id) over same_tables as kept,
           max(publication_date) over (partition by agency_id, report_year, digest) as version_published,
           min(arrived_at) over (partition by agency_id, report_year, digest) as version_arrived
    from loaded
    window same_tables as (partition by agency_id, report_year, digest order by arrived_at, document_id)
),
ranked as (
    select *,
           first_value(kept) over (
               partition by agency_id, report_year
               order by version_published desc nulls last, version_arrived desc, kept
           ) as current_document_id
    from versions
)
select r.document_id, r.agency_id, r.report_year,
       case when r.document_id = r.current_document_id then 'current'
            when r.document_id = r.kept then 'superseded'
            else 'duplicate' end,
       r.current_document_id, r.digest,
       r.document_id <> r.current_document_id and r.document_id = r.kept,
       case when r.document_id = r.current_document_id then null
            when r.document_id <> r.kept then 'same tables as ' || r.kept || ' (arrived earlier)'
            else 'different tables from the current report ' || r.current_document_id
                 || ', which was published or arrived later: check which is right' end
from ranked r;

-- Rectification (整改): every problem the office sends back to an agency, from raising to archiving.
-- Items are raised and re-checked by tasks/rectify after every load (and by `ogi rectify list`);
-- people move them on with `ogi rectify notify|waive|close`. Nothing is ever deleted: every change
-- is one row of rectification_events.

create sequence rectification_item_ids start 1;
create sequence rectification_event_ids start 1;

create table rectification_items (
    item_id                   integer primary key default nextval('rectification_item_ids'),
    agency_id                 integer,           -- null: a listed agency the warehouse has never seen
    report_year               integer not null,
    document_id               varchar,           -- the report the problem was found in (null: MISSING)
    rule_id                   varchar not null,
    instance                  varchar not null,
    severity                  varchar not null,  -- blocking | warning
    accepted                  boolean not null,  -- the report was accepted as printed despite it
    message_zh                varchar not null,
    basis_zh                  varchar not null,
    evidence                  json,              -- the cells: key, printed value, position, side
    raised_at                 timestamp not null,
    due_date                  date not null,
    status                    varchar not null,  -- open | notified | corrected | waived | closed
    status_changed_at         timestamp not null,
    corrected_by_document_id  varchar,
    last_checked_document_id  varchar,
    last_checked_at           timestamp
);
comment on table rectification_items is 'Rectification items (整改项): one problem of one agency''s report for one year that the office asks the agency to rectify, raised from blocking failures (accepted reports too) and chosen warnings (W_TEMPLATE_OUTDATED, W_LATE, W_PROSE_TABLE) of the current report, and reports missing (rule MISSING) for agencies of a roster. Never deleted; history in rectification_events.';
comment on column rectification_items.item_id is 'Item number (ogi rectify waive/close ID).';
comment on column rectification_items.agency_id is 'The agency asked to rectify (dim_agency); null for a missing report of a listed agency the warehouse has never seen (its name is the instance).';
comment on column rectification_items.report_year is 'Year the report is on.';
comment on column rectification_items.document_id is 'The report the problem was found in (documents.document_id); null for a missing report.';
comment on column rectification_items.rule_id is 'Rule that failed (expectations/rules.toml), or MISSING: an agency of the roster has no loaded report for the year.';
comment on column rectification_items.instance is 'Which column/row/group/cell of the rule failed (validation_results.instance); for MISSING the agency name as listed in the roster.';
comment on column rectification_items.severity is 'blocking or warning, as in the rule catalogue.';
comment on column rectification_items.accepted is 'True when the report was loaded as printed despite this blocking failure (acceptances).';
comment on column rectification_items.message_zh is 'The rule''s Chinese message with the failing values (validation_results.message_zh).';
comment on column rectification_items.basis_zh is 'Statutory basis (《政府信息公开条例》 article, template notice) in Chinese.';
comment on column rectification_items.evidence is 'The cells involved as JSON (validation_results.cells): canonical key, printed value, position in the source, side of the identity.';
comment on column rectification_items.raised_at is 'When the item was raised.';
comment on column rectification_items.due_date is 'Date by which the agency should republish a corrected report (raised_at + the configured days, 30 by default).';
comment on column rectification_items.status is 'open (raised), notified (a notice was written), corrected (a newer current report no longer has the problem), waived (the office decided not to pursue it), closed (archived).';
comment on column rectification_items.status_changed_at is 'When the status last changed.';
comment on column rectification_items.corrected_by_document_id is 'For corrected: the newer report that no longer has the problem.';
comment on column rectification_items.last_checked_document_id is 'The report the item was last re-checked against.';
comment on column rectification_items.last_checked_at is 'When it was last re-checked.';

create table rectification_events (
    event_id     integer primary key default nextval('rectification_event_ids'),
    item_id      integer not null,
    event        varchar not null,  -- raised | notified | rechecked | corrected | waived | closed
    from_status  varchar,
    to_status    varchar not null,
    document_id  varchar,
    actor        varchar not null,
    happened_at  timestamp not null,
    reason       varchar
);
comment on table rectification_events is 'Audit trail of rectification items: every raise, notice, re-check and change of status, with who, when and why. Append only.';
comment on column rectification_events.event_id is 'Event number, in order.';
comment on column rectification_events.item_id is 'The item (rectification_items.item_id).';
comment on column rectification_events.event is 'raised, notified, rechecked (a newer report still has the problem), corrected, waived or closed.';
comment on column rectification_events.from_status is 'Status before (null when raised).';
comment on column rectification_events.to_status is 'Status after.';
comment on column rectification_events.document_id is 'The report concerned: where it was raised, or the newer report it was re-checked against.';
comment on column rectification_events.actor is 'Who: the user, or ogi for automatic raising and re-checks.';
comment on column rectification_events.happened_at is 'When.';
comment on column rectification_events.reason is 'Why: the reason given, the notice file, or the re-check outcome.';

-- Each document's natural key as the last resolution gave it (tasks/identity/rules.py): a batch then
-- resolves only the agencies its documents can join, split or change (their keys, credit codes and
-- agencies), not the whole warehouse again. Left null here: the next load resolves every document
-- once and fills it.

alter table documents add column natural_key varchar;
comment on column documents.natural_key is 'The natural key the document was resolved under (agency_keys; after alias and split overrides); null until its agency is resolved.';

-- Raise one rectification item (status open) and return its id.
insert into rectification_items (agency_id, report_year, document_id, rule_id, instance, severity, accepted,
                                 message_zh, basis_zh, evidence, raised_at, due_date, status, status_changed_at,
                                 last_checked_document_id, last_checked_at)
values ($agency_id, $report_year, $document_id, $rule_id, $instance, $severity, $accepted,
        $message_zh, $basis_zh, $evidence::json, $now, $due_date, 'open', $now, $document_id, $now)
returning item_id;

-- Who chose where an account's token goes, and when: every save that sets or changes an
-- account's base_url or secret_ref (an admin's act) leaves a row.
CREATE TABLE channel_account_changes (
    id             uuid PRIMARY KEY,
    account_id     uuid NOT NULL REFERENCES channel_accounts (id),
    changed_by     text NOT NULL,
    changed_at     timestamptz NOT NULL,
    fields         text[] NOT NULL,
    old_base_url   text,
    new_base_url   text NOT NULL,
    old_secret_ref text,
    new_secret_ref text NOT NULL
);
CREATE INDEX channel_account_changes_account ON channel_account_changes (account_id, changed_at);

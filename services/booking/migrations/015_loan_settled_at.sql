-- When a loan came back or was cancelled. Retention counted from the loan's end, so a thing
-- brought back days late lost its borrower's name sooner after the return than the rule
-- says, and the desk could no longer see whom an overdue return was from. Loans settled
-- before this have none: their end stands for it, as before.
ALTER TABLE resource_loans ADD COLUMN settled_at timestamptz;

-- The erasing job's index (014), now by the later of the loan's end and its settling.
DROP INDEX resource_loans_borrowers_to_erase;
CREATE INDEX resource_loans_borrowers_to_erase
    ON resource_loans (GREATEST(upper(during), settled_at))
    WHERE borrower_name IS NOT NULL AND status <> 'active';

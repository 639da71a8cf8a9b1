-- Communications staff's own notices on chosen notice boards (issue #15): a closure or changed
-- hours in fi/sv/en, shown first on each board's feed and screen from `shown_from` until
-- `shown_until`, unless withdrawn from that board. Each board it reaches is also a delivery
-- (channel notice_board, purpose notice), published at once like every board item.
CREATE TABLE board_notices (
    id          uuid PRIMARY KEY,
    text        jsonb NOT NULL,                 -- {"fi": ..., "sv": ..., "en": ...}; fi always
    shown_from  timestamptz NOT NULL,
    shown_until timestamptz NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (shown_until > shown_from),
    CHECK (text ? 'fi')
);

CREATE TABLE board_notice_boards (
    notice_id    uuid NOT NULL REFERENCES board_notices (id),
    board_id     uuid NOT NULL REFERENCES notice_boards (id),
    withdrawn_at timestamptz,
    withdrawn_by text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, board_id)
);
-- A board's feed asks for its notices still shown on every request.
CREATE INDEX board_notice_boards_shown ON board_notice_boards (board_id)
    WHERE withdrawn_at IS NULL;

-- A staff answer that was also sent to the resident's email (`guide.reply_requested`): the
-- widget says so beside it, since the address itself is erased once answered.
ALTER TABLE messages ADD COLUMN emailed boolean NOT NULL DEFAULT false;

-- Agent turns whose file changes the user undid (POST /projects/{id}/conversations/{message_id}/undo). Undoing a
-- turn brings the files back to before it, so the file-changing turns after it are undone with it; each gets a row.
-- A table of its own rather than a column of chat_messages: an undo is an event with data of its own, and chat
-- messages stay insert-only.
CREATE TABLE turn_undos (
  message_id UUID PRIMARY KEY,
  project_id UUID NOT NULL,
  -- The message whose undo reverted this one (itself, or an earlier turn).
  undone_with UUID NOT NULL,
  -- The checkpoint the undo created (the files as they were before `undone_with`).
  checkpoint VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

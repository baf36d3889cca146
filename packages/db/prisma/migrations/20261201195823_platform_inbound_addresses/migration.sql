-- Inbound email addresses were typed in by owners and routed first come, first served, so anyone
-- could claim a business's address and receive its mail (issue 10, docs/decisions/0016). Nothing
-- proves who owns the addresses already saved, so none of them keeps routing: each such email
-- connection needs reconnecting, which assigns the platform's own unguessable address. Sending
-- through the owner's SMTP server pauses with it, until the owner reconnects.
INSERT INTO audit_log (user_id, actor, action, target, data, created_at)
SELECT user_id, 'system', 'connection.needs_reconnect', 'email',
       jsonb_build_object('reason', 'owner-chosen inbound address retired'), now()
  FROM connections
 WHERE channel = 'email' AND external_account_id IS NOT NULL;

-- Disconnecting always cleared the address until now, so every row left here is in use.
UPDATE connections
   SET status = 'needs_reconnect',
       status_reason = 'Audnix now gives every account its own inbound address. Reconnect email to get yours and forward your business mailbox to it: until then leads'' emails do not reach Audnix.',
       external_account_id = NULL,
       updated_at = now()
 WHERE channel = 'email' AND external_account_id IS NOT NULL;

-- CreateTable
CREATE TABLE "media_assets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "content_type" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "duration_seconds" DECIMAL(8,2) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "media_assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE INDEX "media_assets_lead_id_idx" ON "media_assets"("lead_id");

-- CreateIndex
CREATE INDEX "media_assets_user_id_created_at_idx" ON "media_assets"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "worker_heartbeats_last_seen_at_idx" ON "worker_heartbeats"("last_seen_at");

-- CreateIndex
CREATE INDEX "follow_ups_job_key_idx" ON "follow_ups"("job_key");

-- AddForeignKey
ALTER TABLE "media_assets" ADD CONSTRAINT "media_assets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media_assets" ADD CONSTRAINT "media_assets_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for new tenant tables
SELECT app_protect_tenant_table('"media_assets"', 'user_id');

-- The follow-up engine's hot path (docs/decisions/0011-exactly-once-sends.md). Each function is one
-- statement, so one round trip and one implicit transaction, like capture (0005). Each sets the
-- tenant itself (the job payload names the user), so row-level security binds every query in it
-- exactly as db.asUser() would. Policy (timing, channels, stop rules) stays in TypeScript: the
-- functions take its decisions as parameters and hold no policy constants.

-- Claims a planned step (planned -> sending; with p_reclaim a step already "sending" too: the same
-- job retried after its worker died) and returns everything the policy needs about the lead, as one
-- JSON document.
CREATE FUNCTION app_followup_context(p_user uuid, p_lead uuid, p_follow_up uuid, p_reclaim boolean) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_lead uuid := p_lead;
  v_follow_up jsonb;
  v_status "FollowUpStatus";
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  -- A claim lost in a database crash only means the step is claimed again: no need to wait for
  -- the disk. (begin_send, the record that guards the vendor call, stays synchronous.)
  PERFORM set_config('synchronous_commit', 'off', true);

  IF p_follow_up IS NOT NULL THEN
    SELECT lead_id, status, jsonb_build_object('id', id, 'leadId', lead_id, 'step', step, 'channel', channel,
             'plannedAt', planned_at, 'previousStatus', status, 'jobKey', job_key)
      INTO v_lead, v_status, v_follow_up
      FROM follow_ups WHERE id = p_follow_up FOR UPDATE;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('followUp', NULL, 'lead', NULL);
    END IF;
    IF v_status = 'planned' OR (p_reclaim AND v_status = 'sending') THEN
      UPDATE follow_ups SET status = 'sending', updated_at = now() WHERE id = p_follow_up;
      v_follow_up := v_follow_up || '{"claimed": true}'::jsonb;
    ELSE
      v_follow_up := v_follow_up || '{"claimed": false}'::jsonb;
    END IF;
  END IF;

  RETURN jsonb_build_object(
    'followUp', v_follow_up,
    'lead', (SELECT jsonb_build_object('id', id, 'name', name, 'channel', channel, 'externalId', external_id,
               'email', email, 'phone', phone, 'status', status, 'tags', to_jsonb(tags),
               'lastMessageAt', last_message_at, 'createdAt', created_at)
               FROM leads WHERE id = v_lead),
    'facts', coalesce((SELECT jsonb_object_agg(key, value) FROM lead_facts WHERE lead_id = v_lead), '{}'::jsonb),
    'messages', coalesce((SELECT jsonb_agg(m ORDER BY m."sentAt") FROM (
        SELECT id, direction, channel, body, sent_at AS "sentAt", provider_message_id AS "providerMessageId",
               idempotency_key AS "idempotencyKey", metadata
          FROM messages WHERE lead_id = v_lead ORDER BY sent_at DESC LIMIT 12) m), '[]'::jsonb),
    'lastInbound', coalesce((SELECT jsonb_object_agg(channel, jsonb_build_object('id', id, 'body', body,
         'sentAt', sent_at, 'providerMessageId', provider_message_id, 'metadata', metadata)) FROM (
        SELECT DISTINCT ON (channel) id, channel, body, sent_at, provider_message_id, metadata
          FROM messages WHERE lead_id = v_lead AND direction = 'inbound' ORDER BY channel, sent_at DESC) i), '{}'::jsonb),
    'lastOutbound', coalesce((SELECT jsonb_object_agg(channel, sent_at) FROM (
        SELECT channel, max(sent_at) AS sent_at FROM messages
         WHERE lead_id = v_lead AND direction = 'outbound' GROUP BY channel) o), '{}'::jsonb),
    'stepsSent', (SELECT count(*) FROM follow_ups f, leads l
                   WHERE f.lead_id = v_lead AND l.id = v_lead AND f.status IN ('sent', 'failed')
                     AND f.planned_at >= coalesce(l.last_message_at, l.created_at)),
    'brand', (SELECT to_jsonb(b) - 'user_id' - 'updated_at' FROM brand_settings b WHERE user_id = p_user),
    'connections', coalesce((SELECT jsonb_agg(jsonb_build_object('channel', channel,
         'externalAccountId', external_account_id, 'settings', settings))
         FROM connections WHERE user_id = p_user AND status = 'connected'), '[]'::jsonb),
    'account', (SELECT jsonb_build_object('plan', plan, 'trialExpiresAt', trial_expires_at, 'leadsUsed', leads_used,
                  'voiceMinutesUsed', voice_minutes_used) FROM users WHERE id = p_user));
END
$$;

-- Records an outbound message as "pending" under its idempotency key, committed before the vendor
-- is called. created=false hands back the row an earlier attempt (or another worker) recorded.
CREATE FUNCTION app_followup_begin_send(
  p_user uuid, p_lead uuid, p_key text, p_channel "Channel", p_body text, p_attachments jsonb, p_metadata jsonb,
  p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_id uuid;
  v_existing jsonb;
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  INSERT INTO messages (user_id, lead_id, channel, direction, idempotency_key, body, attachments, metadata, sent_at)
  VALUES (p_user, p_lead, p_channel, 'outbound', p_key, p_body, p_attachments,
          p_metadata || '{"delivery": "pending"}'::jsonb, p_now)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NOT NULL THEN
    RETURN jsonb_build_object('created', true, 'messageId', v_id, 'delivery', 'pending');
  END IF;
  SELECT jsonb_build_object('created', false, 'messageId', id, 'delivery', metadata->>'delivery',
           'providerMessageId', provider_message_id)
    INTO v_existing FROM messages WHERE idempotency_key = p_key;
  RETURN v_existing;
END
$$;

-- Plans the lead's next step (or ends the sequence): the follow_ups row and its graphile-worker job
-- in the caller's transaction (transactional outbox). The latest plan replaces any other planned
-- step of the lead. Nothing is planned when the lead wrote after p_answered_up_to: the reply job
-- capture enqueued takes over from there.
CREATE FUNCTION app_followup_plan_next(
  p_user uuid, p_lead uuid, p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS uuid
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_status "LeadStatus";
  v_last_message_at timestamptz;
  v_id uuid;
BEGIN
  SELECT status, last_message_at INTO v_status, v_last_message_at FROM leads WHERE id = p_lead FOR UPDATE;
  IF NOT FOUND OR v_status IN ('opted_out', 'converted') THEN
    RETURN NULL;
  END IF;
  IF p_answered_up_to IS NOT NULL AND v_last_message_at > p_answered_up_to THEN
    RETURN NULL;
  END IF;

  PERFORM graphile_worker.remove_job(job_key)
     FROM follow_ups
    WHERE lead_id = p_lead AND status = 'planned' AND job_key IS NOT NULL
      AND job_key IS DISTINCT FROM p_next->>'jobKey';
  UPDATE follow_ups SET status = 'cancelled', reason = 'replaced by a newer plan', updated_at = p_now
   WHERE lead_id = p_lead AND status = 'planned';

  IF p_next IS NULL THEN
    IF p_end_status IS NOT NULL THEN
      UPDATE leads SET status = p_end_status WHERE id = p_lead AND status NOT IN ('opted_out', 'converted');
    END IF;
    RETURN NULL;
  END IF;

  INSERT INTO follow_ups (user_id, lead_id, step, channel, planned_at, status, job_key, updated_at)
  VALUES (p_user, p_lead, (p_next->>'step')::integer, (p_next->>'channel')::"Channel",
          (p_next->>'plannedAt')::timestamptz, 'planned', p_next->>'jobKey', p_now)
  RETURNING id INTO v_id;
  PERFORM graphile_worker.add_job(
    p_next->>'task',
    json_build_object('followUpId', v_id, 'userId', p_user),
    run_at := (p_next->>'plannedAt')::timestamptz,
    job_key := p_next->>'jobKey',
    job_key_mode := 'replace');
  RETURN v_id;
END
$$;

-- What every settled send (sent or failed) ends with: the lead's next step planned (see
-- app_followup_plan_next) and the dashboard woken; returns the planned step, as the send functions do.
CREATE FUNCTION app_followup_after_send(
  p_user uuid, p_lead uuid, p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_next uuid;
BEGIN
  v_next := app_followup_plan_next(p_user, p_lead, p_next, p_end_status, p_answered_up_to, p_now);
  PERFORM pg_notify('audnix_live', json_build_object('userId', p_user, 'type', 'message.created', 'leadId', p_lead)::text);
  RETURN jsonb_build_object('nextFollowUpId', v_next);
END
$$;

-- The vendor accepted the message (or, for "unconfirmed", may have): record it, mark the step
-- sent, move a new lead to contacted, plan the next step, and wake the dashboard.
CREATE FUNCTION app_followup_complete_send(
  p_user uuid, p_message uuid, p_provider_message_id text, p_delivery text, p_follow_up uuid,
  p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_lead uuid;
  v_channel "Channel";
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  -- If a database crash loses this commit, the message stays "pending" and the retried job settles
  -- it as unconfirmed without resending; any later synchronous commit (graphile-worker completing
  -- the job) flushes it anyway.
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT lead_id, channel INTO v_lead, v_channel FROM messages WHERE id = p_message;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'outbound message % not found', p_message;
  END IF;
  IF p_provider_message_id IS NOT NULL THEN
    -- The platform's echo of this very send can arrive (through capture) before we get here.
    DELETE FROM messages
     WHERE channel = v_channel AND provider_message_id = p_provider_message_id AND id <> p_message
       AND metadata->>'echo' = 'true';
  END IF;
  UPDATE messages
     SET provider_message_id = coalesce(p_provider_message_id, provider_message_id),
         metadata = metadata || jsonb_build_object('delivery', p_delivery)
   WHERE id = p_message;
  UPDATE leads SET status = 'contacted' WHERE id = v_lead AND status = 'new';
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = 'sent', message_id = p_message, channel = v_channel, updated_at = p_now
     WHERE id = p_follow_up;
  END IF;
  RETURN app_followup_after_send(p_user, v_lead, p_next, p_end_status, p_answered_up_to, p_now);
END
$$;

-- The vendor refused for good: the lead's record says why (message, step, audit log), and the
-- sequence goes on.
CREATE FUNCTION app_followup_fail_send(
  p_user uuid, p_message uuid, p_follow_up uuid, p_reason text,
  p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_lead uuid;
  v_channel "Channel";
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  UPDATE messages SET metadata = metadata || jsonb_build_object('delivery', 'failed', 'failureReason', p_reason)
   WHERE id = p_message
  RETURNING lead_id, channel INTO v_lead, v_channel;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'outbound message % not found', p_message;
  END IF;
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = 'failed', reason = p_reason, message_id = p_message, updated_at = p_now
     WHERE id = p_follow_up;
  END IF;
  INSERT INTO audit_log (user_id, actor, action, target, data, created_at)
  VALUES (p_user, 'follow-up engine', 'follow_up.send_failed', v_lead::text,
          jsonb_strip_nulls(jsonb_build_object('channel', v_channel, 'reason', p_reason, 'messageId', p_message,
                                               'followUpId', p_follow_up)), p_now);
  RETURN app_followup_after_send(p_user, v_lead, p_next, p_end_status, p_answered_up_to, p_now);
END
$$;

-- A send that may be tried again (429, 5xx, network): the pending mark goes, so the next attempt
-- sends; the step is planned again (so a reply from the lead cancels it as usual), optionally as a
-- fresh job at the time the vendor asked for.
CREATE FUNCTION app_followup_release_send(
  p_user uuid, p_message uuid, p_follow_up uuid, p_retry jsonb, p_now timestamptz
) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  DELETE FROM messages WHERE id = p_message AND metadata->>'delivery' = 'pending';
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups
       SET status = 'planned', planned_at = coalesce((p_retry->>'runAt')::timestamptz, planned_at), updated_at = p_now
     WHERE id = p_follow_up AND status = 'sending';
  END IF;
  IF p_retry IS NOT NULL THEN
    PERFORM graphile_worker.add_job(
      p_retry->>'task', (p_retry->'payload')::json, run_at := (p_retry->>'runAt')::timestamptz,
      job_key := p_retry->>'jobKey', job_key_mode := 'replace');
  END IF;
END
$$;

-- Stops the lead's sequence: planned steps cancelled and their jobs removed, the step in hand
-- settled, extra jobs (reply, follow up now) removed, and the lead's status set when given.
CREATE FUNCTION app_followup_stop(
  p_user uuid, p_lead uuid, p_reason text, p_lead_status "LeadStatus",
  p_current_follow_up uuid, p_current_status "FollowUpStatus", p_job_keys text[], p_now timestamptz
) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_cancelled integer;
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  PERFORM graphile_worker.remove_job(job_key)
     FROM follow_ups WHERE lead_id = p_lead AND status = 'planned' AND job_key IS NOT NULL;
  PERFORM graphile_worker.remove_job(k) FROM unnest(p_job_keys) AS k;
  UPDATE follow_ups SET status = 'cancelled', reason = p_reason, updated_at = p_now
   WHERE lead_id = p_lead AND status = 'planned';
  GET DIAGNOSTICS v_cancelled = ROW_COUNT;
  IF p_current_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = p_current_status, reason = p_reason, updated_at = p_now
     WHERE id = p_current_follow_up AND status IN ('planned', 'sending');
  END IF;
  IF p_lead_status IS NOT NULL THEN
    UPDATE leads SET status = p_lead_status
     WHERE id = p_lead AND (p_lead_status = 'opted_out' OR status NOT IN ('opted_out', 'converted'));
  END IF;
  PERFORM pg_notify('audnix_live', json_build_object('userId', p_user, 'type', 'message.created', 'leadId', p_lead)::text);
  RETURN v_cancelled;
END
$$;

-- The lead asked to hear nothing more: remembered as a fact (checked before every send), status
-- opted_out, and everything planned on every channel stopped, in one transaction.
CREATE FUNCTION app_followup_opt_out(
  p_user uuid, p_lead uuid, p_fact_key text, p_source text, p_job_keys text[], p_now timestamptz
) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  INSERT INTO lead_facts (user_id, lead_id, key, value, source, updated_at)
  VALUES (p_user, p_lead, p_fact_key, 'true', p_source, p_now)
  ON CONFLICT (lead_id, key) DO UPDATE SET value = 'true', source = EXCLUDED.source, updated_at = p_now;
  INSERT INTO audit_log (user_id, actor, action, target, data, created_at)
  VALUES (p_user, 'follow-up engine', 'lead.opted_out', p_lead::text, jsonb_build_object('source', p_source), p_now);
  PERFORM app_followup_stop(p_user, p_lead, 'lead opted out', 'opted_out', NULL, NULL, p_job_keys, p_now);
END
$$;

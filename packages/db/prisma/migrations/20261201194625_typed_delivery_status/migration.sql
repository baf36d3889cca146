-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'delivered', 'read', 'failed', 'unconfirmed');

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "delivery_status" "DeliveryStatus",
ADD COLUMN     "failure_reason" TEXT;

-- Delivery state was a JSON key (metadata.delivery, metadata.failureReason); it is a typed column
-- now (docs/decisions/0014). Inbound messages have none.
UPDATE "messages"
   SET "delivery_status" = ("metadata"->>'delivery')::"DeliveryStatus",
       "failure_reason" = "metadata"->>'failureReason',
       "metadata" = "metadata" - 'delivery' - 'failureReason'
 WHERE "metadata" ?| ARRAY['delivery', 'failureReason'];

ALTER TABLE "messages" ADD CONSTRAINT "messages_delivery_status_outbound_only"
  CHECK ("direction" = 'outbound' OR "delivery_status" IS NULL);

-- The follow-up engine's functions again (first written in 20261125223946_follow_up_engine), now on
-- the typed column, and filtering every statement by the caller's user as well: row-level
-- security binds them too, but a function that is only correct under RLS fails open the day it
-- runs on a role that bypasses it (docs/decisions/0003, 0011).

CREATE OR REPLACE FUNCTION app_followup_context(p_user uuid, p_lead uuid, p_follow_up uuid, p_reclaim boolean) RETURNS jsonb
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
      FROM follow_ups WHERE id = p_follow_up AND user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('followUp', NULL, 'lead', NULL);
    END IF;
    IF v_status = 'planned' OR (p_reclaim AND v_status = 'sending') THEN
      UPDATE follow_ups SET status = 'sending', updated_at = now() WHERE id = p_follow_up AND user_id = p_user;
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
               FROM leads WHERE id = v_lead AND user_id = p_user),
    'facts', coalesce((SELECT jsonb_object_agg(key, value) FROM lead_facts WHERE lead_id = v_lead AND user_id = p_user), '{}'::jsonb),
    'messages', coalesce((SELECT jsonb_agg(m ORDER BY m."sentAt") FROM (
        SELECT id, direction, channel, body, sent_at AS "sentAt", provider_message_id AS "providerMessageId",
               idempotency_key AS "idempotencyKey", delivery_status AS "deliveryStatus", metadata
          FROM messages WHERE lead_id = v_lead AND user_id = p_user ORDER BY sent_at DESC LIMIT 12) m), '[]'::jsonb),
    'lastInbound', coalesce((SELECT jsonb_object_agg(channel, jsonb_build_object('id', id, 'body', body,
         'sentAt', sent_at, 'providerMessageId', provider_message_id, 'metadata', metadata)) FROM (
        SELECT DISTINCT ON (channel) id, channel, body, sent_at, provider_message_id, metadata
          FROM messages WHERE lead_id = v_lead AND user_id = p_user AND direction = 'inbound'
         ORDER BY channel, sent_at DESC) i), '{}'::jsonb),
    'lastOutbound', coalesce((SELECT jsonb_object_agg(channel, sent_at) FROM (
        SELECT channel, max(sent_at) AS sent_at FROM messages
         WHERE lead_id = v_lead AND user_id = p_user AND direction = 'outbound' GROUP BY channel) o), '{}'::jsonb),
    'stepsSent', (SELECT count(*) FROM follow_ups f, leads l
                   WHERE f.lead_id = v_lead AND f.user_id = p_user AND l.id = v_lead AND l.user_id = p_user
                     AND f.status IN ('sent', 'failed') AND f.planned_at >= coalesce(l.last_message_at, l.created_at)),
    'brand', (SELECT to_jsonb(b) - 'user_id' - 'updated_at' FROM brand_settings b WHERE user_id = p_user),
    'connections', coalesce((SELECT jsonb_agg(jsonb_build_object('channel', channel,
         'externalAccountId', external_account_id, 'settings', settings))
         FROM connections WHERE user_id = p_user AND status = 'connected'), '[]'::jsonb),
    'account', (SELECT jsonb_build_object('plan', plan, 'trialExpiresAt', trial_expires_at, 'leadsUsed', leads_used,
                  'voiceMinutesUsed', voice_minutes_used) FROM users WHERE id = p_user));
END
$$;

-- Records an outbound message as pending under its idempotency key, committed before the vendor
-- is called, for a lead of the caller only. created=false hands back the row an earlier attempt
-- (or another worker) recorded.
CREATE OR REPLACE FUNCTION app_followup_begin_send(
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
  INSERT INTO messages (user_id, lead_id, channel, direction, idempotency_key, body, attachments, metadata,
                        delivery_status, sent_at)
  SELECT p_user, id, p_channel, 'outbound', p_key, p_body, p_attachments, p_metadata, 'pending', p_now
    FROM leads WHERE id = p_lead AND user_id = p_user
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NOT NULL THEN
    RETURN jsonb_build_object('created', true, 'messageId', v_id, 'delivery', 'pending');
  END IF;
  SELECT jsonb_build_object('created', false, 'messageId', id, 'delivery', delivery_status,
           'providerMessageId', provider_message_id)
    INTO v_existing FROM messages WHERE idempotency_key = p_key AND user_id = p_user;
  IF v_existing IS NULL THEN
    RAISE EXCEPTION 'lead % not found', p_lead;
  END IF;
  RETURN v_existing;
END
$$;

-- Plans the lead's next step (or ends the sequence): the follow_ups row and its graphile-worker job
-- in the caller's transaction (transactional outbox). The latest plan replaces any other planned
-- step of the lead. Nothing is planned when the lead wrote after p_answered_up_to: the reply job
-- capture enqueued takes over from there.
CREATE OR REPLACE FUNCTION app_followup_plan_next(
  p_user uuid, p_lead uuid, p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS uuid
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_status "LeadStatus";
  v_last_message_at timestamptz;
  v_id uuid;
BEGIN
  SELECT status, last_message_at INTO v_status, v_last_message_at FROM leads
   WHERE id = p_lead AND user_id = p_user FOR UPDATE;
  IF NOT FOUND OR v_status IN ('opted_out', 'converted') THEN
    RETURN NULL;
  END IF;
  IF p_answered_up_to IS NOT NULL AND v_last_message_at > p_answered_up_to THEN
    RETURN NULL;
  END IF;

  PERFORM graphile_worker.remove_job(job_key)
     FROM follow_ups
    WHERE lead_id = p_lead AND user_id = p_user AND status = 'planned' AND job_key IS NOT NULL
      AND job_key IS DISTINCT FROM p_next->>'jobKey';
  UPDATE follow_ups SET status = 'cancelled', reason = 'replaced by a newer plan', updated_at = p_now
   WHERE lead_id = p_lead AND user_id = p_user AND status = 'planned';

  IF p_next IS NULL THEN
    IF p_end_status IS NOT NULL THEN
      UPDATE leads SET status = p_end_status
       WHERE id = p_lead AND user_id = p_user AND status NOT IN ('opted_out', 'converted');
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

-- What every settled send ends with: the lead's next step planned (see app_followup_plan_next) and
-- the dashboard woken; returns the planned step, as the send functions do.
CREATE OR REPLACE FUNCTION app_followup_after_send(
  p_user uuid, p_lead uuid, p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_next uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM leads WHERE id = p_lead AND user_id = p_user) THEN
    RETURN jsonb_build_object('nextFollowUpId', NULL);
  END IF;
  v_next := app_followup_plan_next(p_user, p_lead, p_next, p_end_status, p_answered_up_to, p_now);
  PERFORM pg_notify('audnix_live', json_build_object('userId', p_user, 'type', 'message.created', 'leadId', p_lead)::text);
  RETURN jsonb_build_object('nextFollowUpId', v_next);
END
$$;

-- The status and reason are typed parameters now: the old text-typed version goes.
DROP FUNCTION app_followup_complete_send(uuid, uuid, text, text, uuid, jsonb, "LeadStatus", timestamptz, timestamptz);

-- The vendor accepted the message (sent) or may have (unconfirmed, with the reason): record it,
-- mark the step sent, move a new lead to contacted, plan the next step, and wake the dashboard.
CREATE FUNCTION app_followup_complete_send(
  p_user uuid, p_message uuid, p_provider_message_id text, p_delivery "DeliveryStatus", p_reason text,
  p_follow_up uuid, p_next jsonb, p_end_status "LeadStatus", p_answered_up_to timestamptz, p_now timestamptz
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
  SELECT lead_id, channel INTO v_lead, v_channel FROM messages WHERE id = p_message AND user_id = p_user;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'outbound message % not found', p_message;
  END IF;
  IF p_provider_message_id IS NOT NULL THEN
    -- The platform's echo of this very send can arrive (through capture) before we get here.
    DELETE FROM messages
     WHERE user_id = p_user AND channel = v_channel AND provider_message_id = p_provider_message_id
       AND id <> p_message AND metadata->>'echo' = 'true';
  END IF;
  UPDATE messages
     SET provider_message_id = coalesce(p_provider_message_id, provider_message_id),
         delivery_status = p_delivery,
         failure_reason = p_reason
   WHERE id = p_message AND user_id = p_user;
  UPDATE leads SET status = 'contacted' WHERE id = v_lead AND user_id = p_user AND status = 'new';
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = 'sent', message_id = p_message, channel = v_channel, updated_at = p_now
     WHERE id = p_follow_up AND user_id = p_user;
  END IF;
  RETURN app_followup_after_send(p_user, v_lead, p_next, p_end_status, p_answered_up_to, p_now);
END
$$;

-- The vendor refused for good: the lead's record says why (message, step, audit log), and the
-- sequence goes on.
CREATE OR REPLACE FUNCTION app_followup_fail_send(
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
  UPDATE messages SET delivery_status = 'failed', failure_reason = p_reason
   WHERE id = p_message AND user_id = p_user
  RETURNING lead_id, channel INTO v_lead, v_channel;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'outbound message % not found', p_message;
  END IF;
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = 'failed', reason = p_reason, message_id = p_message, updated_at = p_now
     WHERE id = p_follow_up AND user_id = p_user;
  END IF;
  INSERT INTO audit_log (user_id, actor, action, target, data, created_at)
  VALUES (p_user, 'follow-up engine', 'follow_up.send_failed', v_lead::text,
          jsonb_strip_nulls(jsonb_build_object('channel', v_channel, 'reason', p_reason, 'messageId', p_message,
                                               'followUpId', p_follow_up)), p_now);
  RETURN app_followup_after_send(p_user, v_lead, p_next, p_end_status, p_answered_up_to, p_now);
END
$$;

-- The retry job's key is a lead's: the lead now comes as a parameter, so the job is only (re)queued
-- for a lead of the caller. The old signature goes.
DROP FUNCTION app_followup_release_send(uuid, uuid, uuid, jsonb, timestamptz);

-- A send that provably did not happen (429, 5xx the vendor answered, refused connection) or a
-- deferral: the pending record goes, so the next attempt sends; the step is planned again (so a
-- reply from the lead cancels it as usual), optionally as a fresh job at the time the vendor asked for.
CREATE FUNCTION app_followup_release_send(
  p_user uuid, p_lead uuid, p_message uuid, p_follow_up uuid, p_retry jsonb, p_now timestamptz
) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  IF NOT EXISTS (SELECT 1 FROM leads WHERE id = p_lead AND user_id = p_user) THEN
    RETURN;
  END IF;
  DELETE FROM messages
   WHERE id = p_message AND user_id = p_user AND lead_id = p_lead AND delivery_status = 'pending';
  IF p_follow_up IS NOT NULL THEN
    UPDATE follow_ups
       SET status = 'planned', planned_at = coalesce((p_retry->>'runAt')::timestamptz, planned_at), updated_at = p_now
     WHERE id = p_follow_up AND user_id = p_user AND lead_id = p_lead AND status = 'sending';
  END IF;
  IF p_retry IS NOT NULL THEN
    PERFORM graphile_worker.add_job(
      p_retry->>'task', (p_retry->'payload')::json, run_at := (p_retry->>'runAt')::timestamptz,
      job_key := p_retry->>'jobKey', job_key_mode := 'replace');
  END IF;
END
$$;

-- Stops the lead's sequence: planned steps cancelled and their jobs removed, the step in hand
-- settled, extra jobs (reply, follow up now) removed, and the lead's status set when given. A lead
-- that is not the caller's is left alone, jobs included (their keys name the lead).
CREATE OR REPLACE FUNCTION app_followup_stop(
  p_user uuid, p_lead uuid, p_reason text, p_lead_status "LeadStatus",
  p_current_follow_up uuid, p_current_status "FollowUpStatus", p_job_keys text[], p_now timestamptz
) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_cancelled integer;
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  IF NOT EXISTS (SELECT 1 FROM leads WHERE id = p_lead AND user_id = p_user) THEN
    RETURN 0;
  END IF;
  PERFORM graphile_worker.remove_job(job_key)
     FROM follow_ups WHERE lead_id = p_lead AND user_id = p_user AND status = 'planned' AND job_key IS NOT NULL;
  PERFORM graphile_worker.remove_job(k) FROM unnest(p_job_keys) AS k;
  UPDATE follow_ups SET status = 'cancelled', reason = p_reason, updated_at = p_now
   WHERE lead_id = p_lead AND user_id = p_user AND status = 'planned';
  GET DIAGNOSTICS v_cancelled = ROW_COUNT;
  IF p_current_follow_up IS NOT NULL THEN
    UPDATE follow_ups SET status = p_current_status, reason = p_reason, updated_at = p_now
     WHERE id = p_current_follow_up AND lead_id = p_lead AND user_id = p_user AND status IN ('planned', 'sending');
  END IF;
  IF p_lead_status IS NOT NULL THEN
    UPDATE leads SET status = p_lead_status
     WHERE id = p_lead AND user_id = p_user AND (p_lead_status = 'opted_out' OR status NOT IN ('opted_out', 'converted'));
  END IF;
  PERFORM pg_notify('audnix_live', json_build_object('userId', p_user, 'type', 'message.created', 'leadId', p_lead)::text);
  RETURN v_cancelled;
END
$$;

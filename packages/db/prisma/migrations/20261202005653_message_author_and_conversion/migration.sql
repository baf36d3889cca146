-- Who wrote each message and which follow-up step it was were JSON keys (metadata.kind, .step, .echo):
-- they are typed columns now, so analytics (docs/decisions/0030) and the reply box can rely on them.
CREATE TYPE "MessageAuthor" AS ENUM ('lead', 'ai', 'owner', 'business_app');

ALTER TABLE "messages" ADD COLUMN "author" "MessageAuthor",
ADD COLUMN "follow_up_step" INTEGER;

UPDATE "messages"
   SET "author" = CASE
         WHEN "direction" = 'inbound' THEN 'lead'
         WHEN "metadata"->>'kind' IN ('reply', 'follow_up') THEN 'ai'
         ELSE 'business_app'
       END::"MessageAuthor",
       "follow_up_step" = CASE
         WHEN "direction" = 'outbound' AND "metadata"->>'kind' = 'follow_up' AND jsonb_typeof("metadata"->'step') = 'number'
           THEN ("metadata"->>'step')::integer
       END,
       "metadata" = "metadata" - 'kind' - 'step' - 'echo';

ALTER TABLE "messages" ALTER COLUMN "author" SET NOT NULL;
-- Only the lead writes inbound; only the AI sends numbered follow-up steps (1-based).
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_direction" CHECK (("direction" = 'inbound') = ("author" = 'lead')),
ADD CONSTRAINT "messages_follow_up_step_ai" CHECK ("follow_up_step" IS NULL OR ("author" = 'ai' AND "follow_up_step" >= 1));

-- A conversion: when, and optionally what it was worth (minor units of an ISO 4217 currency).
ALTER TABLE "leads" ADD COLUMN     "conversion_currency" CHAR(3),
ADD COLUMN     "conversion_value_minor" BIGINT,
ADD COLUMN     "converted_at" TIMESTAMPTZ(3);

ALTER TABLE "leads" ADD CONSTRAINT "leads_conversion_value" CHECK (
  ("conversion_value_minor" IS NULL) = ("conversion_currency" IS NULL)
  AND ("conversion_value_minor" IS NULL OR ("conversion_value_minor" >= 0 AND "converted_at" IS NOT NULL))
  AND ("conversion_currency" IS NULL OR "conversion_currency" ~ '^[A-Z]{3}$'));

-- Leads converted before this column: the owner's "Mark as converted" (audit log), else the steps it
-- cancelled, else the lead's last message, else when it arrived.
UPDATE "leads" l
   SET "converted_at" = coalesce(
         (SELECT max(a.created_at) FROM audit_log a
           WHERE a.user_id = l.user_id AND a.action = 'lead.converted' AND a.target = l.id::text),
         (SELECT max(f.updated_at) FROM follow_ups f WHERE f.lead_id = l.id AND f.reason = 'lead converted'),
         l.last_message_at,
         l.created_at)
 WHERE l.status = 'converted';

-- The engine records who sends and which step: typed parameters instead of metadata keys.
DROP FUNCTION app_followup_begin_send(uuid, uuid, text, "Channel", text, jsonb, jsonb, timestamptz);

CREATE FUNCTION app_followup_begin_send(
  p_user uuid, p_lead uuid, p_key text, p_channel "Channel", p_author "MessageAuthor", p_follow_up_step integer,
  p_body text, p_attachments jsonb, p_metadata jsonb, p_now timestamptz
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_id uuid;
  v_existing jsonb;
BEGIN
  PERFORM set_config('app.user_id', p_user::text, true);
  INSERT INTO messages (user_id, lead_id, channel, direction, author, follow_up_step, idempotency_key, body, attachments,
                        metadata, delivery_status, sent_at)
  SELECT p_user, id, p_channel, 'outbound', p_author, p_follow_up_step, p_key, p_body, p_attachments, p_metadata,
         'pending', p_now
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

-- An echo of our own send is found by its author now (it was metadata.echo).
CREATE OR REPLACE FUNCTION app_followup_complete_send(
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
       AND id <> p_message AND author = 'business_app';
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

-- Capture writes the author: the lead for inbound, the business app for echoes (no metadata.echo).
CREATE OR REPLACE FUNCTION app_capture_delivery(
  p_channel "Channel",
  p_delivery_id text,
  p_groups jsonb,
  p_received_at timestamptz,
  p_lead_limits jsonb,
  p_reply_delay_seconds integer,
  p_status_after_inbound jsonb,
  p_reply_task text,
  p_job_key_prefixes jsonb,
  p_background_jobs jsonb
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  g jsonb;
  e jsonb;
  v_user uuid;
  v_plan "Plan";
  v_account text;
  v_has_messages boolean;
  v_lead uuid;
  v_new_lead boolean;
  v_lead_status "LeadStatus";
  v_message uuid;
  v_blocked "AiBlockedReason";
  v_opt_out boolean;
  v_outcomes jsonb := '[]'::jsonb;
  v_inserted integer := 0;
  v_duplicates integer := 0;
  v_leads_created integer := 0;
  v_blocked_count integer := 0;
  v_opted_out integer := 0;
BEGIN
  -- Webhooks arrive before we know whose they are: this is the system path of docs/decisions/0003.
  PERFORM set_config('app.system', 'on', true);

  FOR g IN SELECT value FROM jsonb_array_elements(p_groups) LOOP
    v_account := g->>'accountId';
    v_user := NULL;
    IF p_channel = 'sandbox' THEN
      SELECT id INTO v_user FROM users WHERE id::text = v_account;
    ELSE
      SELECT user_id INTO v_user FROM connections
       WHERE channel = p_channel AND external_account_id = v_account AND status <> 'disconnected';
    END IF;
    v_has_messages := jsonb_path_exists(g->'events', '$[*] ? (@.kind == "message" || @.kind == "echo")');

    INSERT INTO webhook_events (user_id, provider, event_id, account_id, status, payload, received_at, processed_at)
    VALUES (
      v_user, p_channel::text, p_delivery_id || ':' || v_account, v_account,
      CASE WHEN v_user IS NULL THEN 'unrouted' WHEN v_has_messages THEN 'processed' ELSE 'ignored' END::"WebhookEventStatus",
      g->'rawEntries', p_received_at, CASE WHEN v_user IS NULL THEN NULL ELSE now() END
    )
    ON CONFLICT (provider, event_id) DO NOTHING;

    IF NOT FOUND THEN
      -- The same delivery again (the platforms retry and duplicate): already handled.
      v_outcomes := v_outcomes || jsonb_build_object('accountId', v_account, 'userId', v_user, 'outcome', 'duplicate');
      CONTINUE;
    END IF;
    v_outcomes := v_outcomes || jsonb_build_object(
      'accountId', v_account, 'userId', v_user, 'outcome', CASE WHEN v_user IS NULL THEN 'unrouted' ELSE 'processed' END);
    CONTINUE WHEN v_user IS NULL;

    FOR e IN SELECT value FROM jsonb_array_elements(g->'events') LOOP
      IF e->>'kind' = 'message' THEN
        v_blocked := NULL;
        v_lead_status := 'new';
        v_opt_out := coalesce((e->>'optOut')::boolean, false);
        INSERT INTO leads (user_id, external_id, channel, name, email, phone, last_message_at)
        VALUES (v_user, e->'sender'->>'externalId', p_channel, e->'sender'->>'name', e->'sender'->>'email',
                e->'sender'->>'phone', (e->>'sentAt')::timestamptz)
        ON CONFLICT (user_id, channel, external_id) DO NOTHING
        RETURNING id INTO v_lead;
        v_new_lead := v_lead IS NOT NULL;
        IF NOT v_new_lead THEN
          SELECT id INTO v_lead FROM leads
           WHERE user_id = v_user AND channel = p_channel AND external_id = e->'sender'->>'externalId';
        END IF;

        INSERT INTO messages (user_id, lead_id, channel, direction, author, provider_message_id, body, attachments, metadata, sent_at)
        VALUES (v_user, v_lead, p_channel, 'inbound', 'lead', e->>'providerMessageId', e->>'text', e->'attachments',
                jsonb_strip_nulls(jsonb_build_object('thread', e->'thread')), (e->>'sentAt')::timestamptz)
        ON CONFLICT (channel, provider_message_id) DO NOTHING
        RETURNING id INTO v_message;
        IF v_message IS NULL THEN
          v_duplicates := v_duplicates + 1;
          CONTINUE;
        END IF;
        v_inserted := v_inserted + 1;

        IF v_new_lead THEN
          v_leads_created := v_leads_created + 1;
          -- Admission is one conditional UPDATE: the row lock serializes concurrent new leads, so
          -- an account at 99/100 admits exactly one more.
          UPDATE users SET leads_used = leads_used + 1
           WHERE id = v_user
             AND plan <> 'expired'
             AND NOT (plan = 'trial' AND trial_expires_at IS NOT NULL AND trial_expires_at <= p_received_at)
             AND leads_used < (p_lead_limits->>(plan::text))::integer
          RETURNING plan INTO v_plan;
          IF NOT FOUND THEN
            -- core's followUpBlock, restated: the admission above must stay one conditional
            -- statement. capture.test.ts runs every plan, trial and usage case through both.
            SELECT CASE
                     WHEN plan = 'expired' THEN 'plan_expired'
                     WHEN plan = 'trial' AND trial_expires_at IS NOT NULL AND trial_expires_at <= p_received_at THEN 'trial_expired'
                     ELSE 'lead_limit_reached'
                   END::"AiBlockedReason" INTO v_blocked
              FROM users WHERE id = v_user;
            -- The lead and message are kept; the reason is shown to the owner with the lead.
            UPDATE leads SET ai_blocked_reason = v_blocked WHERE id = v_lead;
          END IF;
        ELSE
          UPDATE leads
             SET last_message_at = GREATEST(last_message_at, (e->>'sentAt')::timestamptz),
                 status = (p_status_after_inbound->>(status::text))::"LeadStatus"
           WHERE id = v_lead
          RETURNING ai_blocked_reason, status INTO v_blocked, v_lead_status;
          IF NOT v_opt_out THEN
            -- The lead answered: planned follow-ups are moot.
            PERFORM graphile_worker.remove_job(job_key)
               FROM follow_ups WHERE lead_id = v_lead AND status = 'planned' AND job_key IS NOT NULL;
            UPDATE follow_ups SET status = 'cancelled', reason = 'lead replied', updated_at = now()
             WHERE lead_id = v_lead AND status = 'planned';
          END IF;
        END IF;

        IF v_new_lead AND p_channel = 'instagram' THEN
          -- Who wrote: the Instagram profile's name and username, fetched once per lead, in the background.
          PERFORM graphile_worker.add_job(
            p_background_jobs->'instagramProfile'->>'task',
            json_build_object('userId', v_user, 'leadId', v_lead),
            job_key := (p_background_jobs->'instagramProfile'->>'keyPrefix') || v_lead);
        END IF;
        IF v_lead_status <> 'opted_out' AND NOT v_opt_out AND coalesce(e->>'text', '') <> '' THEN
          -- What the lead says about themselves (email, phone, name, zone...), read once per message.
          PERFORM graphile_worker.add_job(
            p_background_jobs->'facts'->>'task',
            json_build_object('userId', v_user, 'leadId', v_lead, 'messageId', v_message),
            job_key := (p_background_jobs->'facts'->>'keyPrefix') || v_message);
        END IF;

        IF v_lead_status = 'opted_out' THEN
          -- Opted out before: the message is kept, nobody answers it.
          NULL;
        ELSIF v_opt_out THEN
          PERFORM app_followup_opt_out(v_user, v_lead, 'message',
            ARRAY[(p_job_key_prefixes->>'reply') || v_lead, (p_job_key_prefixes->>'now') || v_lead], p_received_at);
          v_opted_out := v_opted_out + 1;
        ELSIF v_blocked IS NULL THEN
          PERFORM graphile_worker.add_job(
            p_reply_task,
            json_build_object('leadId', v_lead, 'userId', v_user),
            run_at := p_received_at + make_interval(secs => p_reply_delay_seconds),
            job_key := (p_job_key_prefixes->>'reply') || v_lead,
            job_key_mode := 'replace');
          UPDATE leads SET reply_due_at = p_received_at + make_interval(secs => p_reply_delay_seconds) WHERE id = v_lead;
        ELSE
          v_blocked_count := v_blocked_count + 1;
        END IF;

        PERFORM pg_notify('audnix_live', json_build_object(
          'userId', v_user, 'type', CASE WHEN v_new_lead THEN 'lead.created' ELSE 'message.created' END, 'leadId', v_lead)::text);

      ELSIF e->>'kind' = 'echo' THEN
        -- Our own sends (or the owner typing in the platform's app): kept on a known lead, never a lead speaking.
        SELECT id INTO v_lead FROM leads
         WHERE user_id = v_user AND channel = p_channel AND external_id = e->>'recipientExternalId';
        CONTINUE WHEN NOT FOUND;
        INSERT INTO messages (user_id, lead_id, channel, direction, author, provider_message_id, body, attachments, sent_at)
        VALUES (v_user, v_lead, p_channel, 'outbound', 'business_app', e->>'providerMessageId', e->>'text', e->'attachments',
                (e->>'sentAt')::timestamptz)
        ON CONFLICT (channel, provider_message_id) DO NOTHING
        RETURNING id INTO v_message;
        IF v_message IS NOT NULL THEN
          v_inserted := v_inserted + 1;
          PERFORM pg_notify('audnix_live', json_build_object('userId', v_user, 'type', 'message.created', 'leadId', v_lead)::text);
        END IF;
      END IF;
    END LOOP;
  END LOOP;

  RETURN jsonb_build_object(
    'groups', v_outcomes,
    'messagesInserted', v_inserted,
    'duplicateMessages', v_duplicates,
    'leadsCreated', v_leads_created,
    'followUpsBlocked', v_blocked_count,
    'leadsOptedOut', v_opted_out);
END
$$;

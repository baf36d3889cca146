-- CreateEnum
CREATE TYPE "LeadFactKind" AS ENUM ('email', 'phone', 'preferred_name', 'location', 'timezone', 'language', 'interest', 'objection', 'budget');

-- CreateEnum
CREATE TYPE "LeadFactSource" AS ENUM ('rules', 'model', 'owner');

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "facts_extracted_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "lead_memory_facts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "kind" "LeadFactKind" NOT NULL,
    "value" TEXT NOT NULL,
    "source" "LeadFactSource" NOT NULL,
    "message_id" UUID,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_memory_facts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lead_memory_facts_user_id_idx" ON "lead_memory_facts"("user_id");

-- CreateIndex
CREATE INDEX "lead_memory_facts_message_id_idx" ON "lead_memory_facts"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "lead_memory_facts_lead_id_kind_value_key" ON "lead_memory_facts"("lead_id", "kind", "value");

-- AddForeignKey
ALTER TABLE "lead_memory_facts" ADD CONSTRAINT "lead_memory_facts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_memory_facts" ADD CONSTRAINT "lead_memory_facts_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_memory_facts" ADD CONSTRAINT "lead_memory_facts_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Row-level security for new tenant tables
SELECT app_protect_tenant_table('"lead_memory_facts"', 'user_id');

-- The lead facts the engine read by key (preferred_name, timezone, language) move to the typed
-- table; lead_facts keeps only the engine's own secret (the unsubscribe token). Migrations run as
-- the owner, which the FORCEd row-level security binds as well (0003), hence the system path.
DO $$
BEGIN
  PERFORM set_config('app.system', 'on', true);
  INSERT INTO "lead_memory_facts" ("user_id", "lead_id", "kind", "value", "source", "observed_at", "created_at", "updated_at")
  SELECT f."user_id", f."lead_id", f."key"::"LeadFactKind", f."value",
         CASE WHEN f."source" = 'owner' THEN 'owner' ELSE 'rules' END::"LeadFactSource",
         f."updated_at", f."created_at", f."updated_at"
    FROM "lead_facts" f
   WHERE f."key" IN ('preferred_name', 'timezone', 'language') AND btrim(f."value") <> ''
  ON CONFLICT ("lead_id", "kind", "value") DO NOTHING;
  DELETE FROM "lead_facts" WHERE "key" IN ('preferred_name', 'timezone', 'language');
END
$$;

-- The follow-up context again (last written in 20261201223108_lead_ai_paused_at), with the lead's
-- typed facts.
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
               'lastMessageAt', last_message_at, 'createdAt', created_at,
               'optedOutAt', opted_out_at, 'aiBlockedReason', ai_blocked_reason, 'aiPausedAt', ai_paused_at)
               FROM leads WHERE id = v_lead AND user_id = p_user),
    'facts', coalesce((SELECT jsonb_object_agg(key, value) FROM lead_facts WHERE lead_id = v_lead AND user_id = p_user), '{}'::jsonb),
    'memoryFacts', coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'kind', kind, 'value', value, 'source', source,
         'messageId', message_id, 'observedAt', observed_at) ORDER BY kind, observed_at, id)
         FROM lead_memory_facts WHERE lead_id = v_lead AND user_id = p_user), '[]'::jsonb),
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

-- Capture again (last written in 20261201211500_capture_rules_from_core, docs/decisions/0005), with
-- two background jobs core names (p_background_jobs: task and key prefix of each): the facts of
-- every new inbound message from a lead who has not opted out (docs/decisions/0022), and the
-- Instagram profile of every new Instagram lead (0023). Keys per message and per lead: a
-- redelivery queues nothing twice.
DROP FUNCTION app_capture_delivery("Channel", text, jsonb, timestamptz, jsonb, integer, jsonb, text, jsonb);

CREATE FUNCTION app_capture_delivery(
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

        INSERT INTO messages (user_id, lead_id, channel, direction, provider_message_id, body, attachments, metadata, sent_at)
        VALUES (v_user, v_lead, p_channel, 'inbound', e->>'providerMessageId', e->>'text', e->'attachments',
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
        INSERT INTO messages (user_id, lead_id, channel, direction, provider_message_id, body, attachments, metadata, sent_at)
        VALUES (v_user, v_lead, p_channel, 'outbound', e->>'providerMessageId', e->>'text', e->'attachments',
                '{"echo": true}'::jsonb, (e->>'sentAt')::timestamptz)
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

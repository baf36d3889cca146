-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NeedsOwnerReason" ADD VALUE 'send_failed';
ALTER TYPE "NeedsOwnerReason" ADD VALUE 'wrote_while_paused';
ALTER TYPE "NeedsOwnerReason" ADD VALUE 'wrote_after_sequence_ended';

-- AlterTable
ALTER TABLE "brand_settings" ADD COLUMN     "needs_you_email" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "needs_owner_alerted_at" TIMESTAMPTZ(3),
ADD COLUMN     "notes" TEXT;

-- The "Needs you" queue (docs/decisions/0027). One way in for every writer of the flag: the
-- engine's unanswered reply (beginSend), capture (a lead who wrote while paused or after the
-- sequence ended) and the delivery trigger below (a failed or unconfirmed send).
-- Precedence is the enum's order, strongest first, which core's NEEDS_OWNER_REASONS lists
-- (packages/db/test/needs-you.test.ts compares them): a lead already flagged keeps its reason
-- unless a stronger one arrives, and keeps needs_owner_at, so the queue's "waiting since" is the
-- start of the episode. A lead that starts needing the owner NOTIFYs lead.needs_owner (ids and
-- the reason only: the browser's notification never carries what the lead wrote) and, when the
-- owner turned the email alert on, queues that owner's alert job (task, key prefix and the
-- 300-second gathering delay are core's NEEDS_YOU_EMAIL_*; the same test reads them here).
CREATE FUNCTION app_flag_needs_owner(p_user uuid, p_lead uuid, p_reason "NeedsOwnerReason", p_detail text, p_at timestamptz)
  RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_current "NeedsOwnerReason";
BEGIN
  SELECT needs_owner_reason INTO v_current FROM leads WHERE id = p_lead AND user_id = p_user FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF v_current IS NULL THEN
    UPDATE leads SET needs_owner_at = p_at, needs_owner_reason = p_reason, needs_owner_detail = p_detail,
                     needs_owner_alerted_at = NULL
     WHERE id = p_lead AND user_id = p_user;
    PERFORM pg_notify('audnix_live', json_build_object(
      'userId', p_user, 'type', 'lead.needs_owner', 'leadId', p_lead, 'reason', p_reason)::text);
    IF EXISTS (SELECT 1 FROM brand_settings WHERE user_id = p_user AND needs_you_email) THEN
      -- preserve_run_at: leads flagged while the job waits join it, so a burst is one email.
      PERFORM graphile_worker.add_job(
        'needs-you:email',
        json_build_object('userId', p_user),
        run_at := p_at + make_interval(secs => 300),
        job_key := 'needs-you:email:' || p_user,
        job_key_mode := 'preserve_run_at');
    END IF;
  ELSIF p_reason < v_current THEN
    UPDATE leads SET needs_owner_reason = p_reason, needs_owner_detail = p_detail WHERE id = p_lead AND user_id = p_user;
    PERFORM pg_notify('audnix_live', json_build_object('userId', p_user, 'type', 'lead.updated', 'leadId', p_lead)::text);
  END IF;
END
$$;

-- A send that failed or is unconfirmed needs the owner, whoever recorded it (the engine's
-- app_followup_fail_send and unconfirmed settle, a vendor's failed status later), in that
-- writer's transaction. The detail is failure_reason: our words, never the vendor's text.
CREATE FUNCTION app_messages_flag_failed_send() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM app_flag_needs_owner(NEW.user_id, NEW.lead_id, 'send_failed', left(NEW.failure_reason, 300), NEW.sent_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER messages_flag_failed_send
  AFTER UPDATE OF delivery_status ON messages
  FOR EACH ROW
  WHEN (NEW.direction = 'outbound' AND NEW.delivery_status IN ('failed', 'unconfirmed')
        AND OLD.delivery_status IS DISTINCT FROM NEW.delivery_status)
  EXECUTE FUNCTION app_messages_flag_failed_send();


-- Capture again (last written in 20261202005653_message_author_and_conversion, docs/decisions/0005),
-- with core's "Needs you" rule for a message from a known lead (p_needs_owner_after_inbound: the
-- reason, or null, for each "<status before the message>:<paused>"), applied through
-- app_flag_needs_owner. A keyword opt-out flags nothing. The signature grew: drop and retry as before.
DROP FUNCTION app_capture_delivery("Channel", text, jsonb, timestamptz, jsonb, integer, jsonb, text, jsonb, jsonb);

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
  p_background_jobs jsonb,
  p_needs_owner_after_inbound jsonb
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
  v_prior_status "LeadStatus";
  v_prior_paused boolean;
  v_needs_owner text;
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
          -- The lead as it was before this message: its status moves below (lost -> replied).
          SELECT status, ai_paused_at IS NOT NULL INTO v_prior_status, v_prior_paused FROM leads WHERE id = v_lead;
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

        IF NOT v_new_lead AND NOT v_opt_out THEN
          -- Core's inboundNeedsOwnerReason for every status and pause, handed in as a map
          -- (docs/decisions/0027): a paused lead, or one whose sequence ended, needs the owner.
          v_needs_owner := p_needs_owner_after_inbound->>(v_prior_status::text || ':' || v_prior_paused::text);
          IF v_needs_owner IS NOT NULL THEN
            PERFORM app_flag_needs_owner(v_user, v_lead, v_needs_owner::"NeedsOwnerReason", NULL, p_received_at);
          END IF;
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

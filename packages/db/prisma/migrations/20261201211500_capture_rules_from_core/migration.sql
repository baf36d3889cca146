-- Capture again (last written in 20261201210145_reply_due_at), with core's rules handed in rather
-- than restated (docs/decisions/0005, update 2026-12-01): the lead status after an inbound message
-- is a map from each status (core's nextLeadStatus, computed in capture.ts), and the reply task
-- and the job key prefixes are core's FOLLOW_UP_JOBS / replyJobKey / nowJobKey. The plan's
-- refusal reason stays in SQL beside the one-statement admission; a test holds it to core.
DROP FUNCTION app_capture_delivery("Channel", text, jsonb, timestamptz, jsonb, integer);

CREATE FUNCTION app_capture_delivery(
  p_channel "Channel",
  p_delivery_id text,
  p_groups jsonb,
  p_received_at timestamptz,
  p_lead_limits jsonb,
  p_reply_delay_seconds integer,
  p_status_after_inbound jsonb,
  p_reply_task text,
  p_job_key_prefixes jsonb
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

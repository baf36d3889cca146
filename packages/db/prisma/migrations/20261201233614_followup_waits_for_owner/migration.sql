-- The follow-up context (last written in 20261201224241_lead_memory_facts) also returns
-- leads.needs_owner_at: a lead the AI flagged for the owner (docs/decisions/0021) gets no follow-up
-- step until the owner marks it handled. The rule lives in core (stopReason, "waiting_for_owner");
-- this only returns the column.
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
               'optedOutAt', opted_out_at, 'aiBlockedReason', ai_blocked_reason, 'aiPausedAt', ai_paused_at,
               'needsOwnerAt', needs_owner_at)
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

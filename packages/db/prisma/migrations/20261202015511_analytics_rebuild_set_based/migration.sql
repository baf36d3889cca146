-- The rebuild's derived columns, set-based (docs/decisions/0030): the per-row functions made a
-- rebuild of an owner with 1,000,000 messages take minutes.
CREATE OR REPLACE FUNCTION app_analytics_rebuild(p_user uuid, p_derived boolean DEFAULT true) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_days integer;
  v_zone text := app_analytics_zone(p_user);
BEGIN
  PERFORM pg_advisory_xact_lock(app_analytics_lock_key(p_user));
  PERFORM set_config('app.analytics_rebuilding', p_user::text, true);

  -- The derived columns do not depend on the zone: a zone change (p_derived false) keeps them.
  IF p_derived THEN
    -- The same rules as app_analytics_first_response and app_analytics_lead_replied_at (the
    -- triggers' per-row form), over all the owner's rows at once: a million messages in seconds, not
    -- minutes. analytics-rollups.test.ts holds both forms to one recount.
    WITH first_in AS (
      SELECT lead_id, min(sent_at) AS at FROM messages
       WHERE user_id = p_user AND direction = 'inbound' GROUP BY lead_id
    ), firsts AS (
      SELECT f.lead_id, f.at AS first_inbound_at, min(o.sent_at) AS first_response_at
        FROM first_in f
        LEFT JOIN messages o ON o.lead_id = f.lead_id AND o.user_id = p_user AND o.direction = 'outbound'
                            AND o.sent_at > f.at AND o.delivery_status IS DISTINCT FROM 'failed'
       GROUP BY f.lead_id, f.at
    )
    UPDATE leads l SET first_inbound_at = f.first_inbound_at, first_response_at = f.first_response_at
      FROM leads s LEFT JOIN firsts f ON f.lead_id = s.id
     WHERE s.user_id = p_user AND l.id = s.id
       AND (l.first_inbound_at IS DISTINCT FROM f.first_inbound_at OR l.first_response_at IS DISTINCT FROM f.first_response_at);
    WITH ai AS (
      SELECT id, lead_id, sent_at, lead(sent_at) OVER (PARTITION BY lead_id ORDER BY sent_at, id) AS next_at
        FROM messages WHERE user_id = p_user AND author = 'ai'
    ), answered AS (
      SELECT ai.id, min(i.sent_at) AS at
        FROM ai
        JOIN messages i ON i.lead_id = ai.lead_id AND i.user_id = p_user AND i.direction = 'inbound'
                       AND i.sent_at > ai.sent_at AND i.sent_at < coalesce(ai.next_at, 'infinity')
       GROUP BY ai.id
    )
    UPDATE messages m SET lead_replied_at = a.at
      FROM ai LEFT JOIN answered a ON a.id = ai.id
     WHERE m.id = ai.id AND m.lead_replied_at IS DISTINCT FROM a.at;
  END IF;

  DELETE FROM analytics_daily WHERE user_id = p_user;
  DELETE FROM analytics_first_responses WHERE user_id = p_user;
  DELETE FROM analytics_conversion_values WHERE user_id = p_user;

  INSERT INTO analytics_daily (user_id, day, channel, follow_up_step, messages_in, ai_replies, ai_follow_ups,
                               owner_messages, business_app_messages, ai_answered, sends_failed, sends_unconfirmed)
  SELECT p_user, c.day, c.channel, c.follow_up_step, sum(c.messages_in), sum(c.ai_replies), sum(c.ai_follow_ups),
         sum(c.owner_messages), sum(c.business_app_messages), sum(c.ai_answered), sum(c.sends_failed), sum(c.sends_unconfirmed)
    FROM messages m CROSS JOIN LATERAL app_analytics_message_counts(m, v_zone) c
   WHERE m.user_id = p_user
   GROUP BY c.day, c.channel, c.follow_up_step;
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, leads_new, conversions, opt_outs)
  SELECT p_user, c.day, c.channel, 0, sum(c.leads_new), sum(c.conversions), sum(c.opt_outs)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_counts(l, v_zone) c
   WHERE l.user_id = p_user
   GROUP BY c.day, c.channel
  ON CONFLICT (user_id, day, channel, follow_up_step) DO UPDATE SET
    leads_new = EXCLUDED.leads_new, conversions = EXCLUDED.conversions, opt_outs = EXCLUDED.opt_outs;
  INSERT INTO analytics_first_responses (user_id, day, channel, bucket, leads)
  SELECT p_user, r.day, r.channel, r.bucket, count(*)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_first_response(l, v_zone) r
   WHERE l.user_id = p_user
   GROUP BY r.day, r.channel, r.bucket;
  INSERT INTO analytics_conversion_values (user_id, day, channel, currency, conversions, value_minor)
  SELECT p_user, v.day, v.channel, v.currency, count(*), sum(v.value_minor)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_value(l, v_zone) v
   WHERE l.user_id = p_user
   GROUP BY v.day, v.channel, v.currency;

  SELECT count(DISTINCT day) INTO v_days FROM analytics_daily WHERE user_id = p_user;
  PERFORM set_config('app.analytics_rebuilding', '', true);
  RETURN jsonb_build_object('userId', p_user, 'days', v_days);
END
$$;

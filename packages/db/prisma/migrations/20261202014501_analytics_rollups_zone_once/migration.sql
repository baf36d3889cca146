-- The rollups' day of a row needs the owner's zone: look it up once per row change (triggers) or
-- once per owner (rebuild) instead of once per classified row, and let a zone change regroup the
-- rollups without recomputing the zone-free derived columns (docs/decisions/0030). Same rules.
DROP FUNCTION app_analytics_message_counts(messages);
DROP FUNCTION app_analytics_lead_counts(leads);
DROP FUNCTION app_analytics_lead_first_response(leads);
DROP FUNCTION app_analytics_lead_value(leads);
DROP FUNCTION app_analytics_day(uuid, timestamptz);
DROP FUNCTION app_analytics_rebuild(uuid);

CREATE FUNCTION app_analytics_zone(p_user uuid) RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce((SELECT timezone FROM brand_settings WHERE user_id = p_user), 'UTC') $$;


CREATE FUNCTION app_analytics_message_counts(m messages, p_zone text) RETURNS TABLE (
  day date, channel "Channel", follow_up_step integer, messages_in integer, ai_replies integer, ai_follow_ups integer,
  owner_messages integer, business_app_messages integer, ai_answered integer, sends_failed integer, sends_unconfirmed integer
)
  LANGUAGE sql STABLE
  AS $$
  SELECT timezone(p_zone, m.sent_at)::date, m.channel, coalesce(m.follow_up_step, 0),
         (m.author = 'lead')::integer,
         (m.author = 'ai' AND m.follow_up_step IS NULL)::integer,
         (m.author = 'ai' AND m.follow_up_step IS NOT NULL)::integer,
         (m.author = 'owner')::integer,
         (m.author = 'business_app')::integer,
         (m.author = 'ai' AND m.lead_replied_at IS NOT NULL)::integer,
         coalesce(m.delivery_status = 'failed', false)::integer,
         coalesce(m.delivery_status = 'unconfirmed', false)::integer
$$;

CREATE FUNCTION app_analytics_lead_counts(l leads, p_zone text) RETURNS TABLE (
  day date, channel "Channel", leads_new integer, conversions integer, opt_outs integer
)
  LANGUAGE sql STABLE
  AS $$
  SELECT timezone(p_zone, e.at)::date, l.channel, e.leads_new, e.conversions, e.opt_outs
    FROM (VALUES (l.created_at, 1, 0, 0), (l.converted_at, 0, 1, 0), (l.opted_out_at, 0, 0, 1)) AS e (at, leads_new, conversions, opt_outs)
   WHERE e.at IS NOT NULL
$$;

CREATE FUNCTION app_analytics_lead_first_response(l leads, p_zone text) RETURNS TABLE (day date, channel "Channel", bucket integer)
  LANGUAGE sql STABLE
  AS $$
  SELECT timezone(p_zone, l.first_response_at)::date, l.channel,
         app_analytics_first_response_bucket(extract(epoch FROM l.first_response_at - l.first_inbound_at))
   WHERE l.first_response_at IS NOT NULL AND l.first_inbound_at IS NOT NULL
$$;

CREATE FUNCTION app_analytics_lead_value(l leads, p_zone text) RETURNS TABLE (day date, channel "Channel", currency char(3), value_minor bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT timezone(p_zone, l.converted_at)::date, l.channel, l.conversion_currency, l.conversion_value_minor
   WHERE l.converted_at IS NOT NULL AND l.conversion_value_minor IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION app_analytics_apply_message(m messages, p_sign integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, messages_in, ai_replies, ai_follow_ups,
                                    owner_messages, business_app_messages, ai_answered, sends_failed, sends_unconfirmed)
  SELECT m.user_id, c.day, c.channel, c.follow_up_step, p_sign * c.messages_in, p_sign * c.ai_replies,
         p_sign * c.ai_follow_ups, p_sign * c.owner_messages, p_sign * c.business_app_messages, p_sign * c.ai_answered,
         p_sign * c.sends_failed, p_sign * c.sends_unconfirmed
    FROM app_analytics_message_counts(m, app_analytics_zone(m.user_id)) c
  ON CONFLICT (user_id, day, channel, follow_up_step) DO UPDATE SET
    messages_in = a.messages_in + EXCLUDED.messages_in,
    ai_replies = a.ai_replies + EXCLUDED.ai_replies,
    ai_follow_ups = a.ai_follow_ups + EXCLUDED.ai_follow_ups,
    owner_messages = a.owner_messages + EXCLUDED.owner_messages,
    business_app_messages = a.business_app_messages + EXCLUDED.business_app_messages,
    ai_answered = a.ai_answered + EXCLUDED.ai_answered,
    sends_failed = a.sends_failed + EXCLUDED.sends_failed,
    sends_unconfirmed = a.sends_unconfirmed + EXCLUDED.sends_unconfirmed
$$;

CREATE OR REPLACE FUNCTION app_analytics_apply_lead(l leads, p_sign integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, leads_new, conversions, opt_outs)
  SELECT l.user_id, c.day, c.channel, 0, p_sign * sum(c.leads_new), p_sign * sum(c.conversions), p_sign * sum(c.opt_outs)
    FROM app_analytics_lead_counts(l, app_analytics_zone(l.user_id)) c GROUP BY c.day, c.channel
  ON CONFLICT (user_id, day, channel, follow_up_step) DO UPDATE SET
    leads_new = a.leads_new + EXCLUDED.leads_new,
    conversions = a.conversions + EXCLUDED.conversions,
    opt_outs = a.opt_outs + EXCLUDED.opt_outs;
  INSERT INTO analytics_first_responses AS a (user_id, day, channel, bucket, leads)
  SELECT l.user_id, r.day, r.channel, r.bucket, p_sign FROM app_analytics_lead_first_response(l, app_analytics_zone(l.user_id)) r
  ON CONFLICT (user_id, day, channel, bucket) DO UPDATE SET leads = a.leads + EXCLUDED.leads;
  INSERT INTO analytics_conversion_values AS a (user_id, day, channel, currency, conversions, value_minor)
  SELECT l.user_id, v.day, v.channel, v.currency, p_sign, p_sign * v.value_minor FROM app_analytics_lead_value(l, app_analytics_zone(l.user_id)) v
  ON CONFLICT (user_id, day, channel, currency) DO UPDATE SET
    conversions = a.conversions + EXCLUDED.conversions,
    value_minor = a.value_minor + EXCLUDED.value_minor;
$$;

CREATE OR REPLACE FUNCTION app_analytics_messages_rollup() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_zone text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF app_analytics_applies(OLD.user_id, true) THEN PERFORM app_analytics_apply_message(OLD, -1); END IF;
  ELSIF TG_OP = 'INSERT' THEN
    IF app_analytics_applies(NEW.user_id, false) THEN PERFORM app_analytics_apply_message(NEW, 1); END IF;
  ELSIF app_analytics_applies(NEW.user_id, false) THEN
    v_zone := app_analytics_zone(NEW.user_id);
    -- e.g. pending -> sent moves no counter; pending -> failed does.
    IF (SELECT c FROM app_analytics_message_counts(OLD, v_zone) c) IS DISTINCT FROM (SELECT c FROM app_analytics_message_counts(NEW, v_zone) c) THEN
      PERFORM app_analytics_apply_message(OLD, -1);
      PERFORM app_analytics_apply_message(NEW, 1);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION app_analytics_rebuild(p_user uuid, p_derived boolean DEFAULT true) RETURNS jsonb
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

    WITH x AS MATERIALIZED (
      SELECT s.id, f.first_inbound_at, f.first_response_at
        FROM leads s CROSS JOIN LATERAL app_analytics_first_response(s.id) f
       WHERE s.user_id = p_user
    )
    UPDATE leads l SET first_inbound_at = x.first_inbound_at, first_response_at = x.first_response_at
      FROM x
     WHERE l.id = x.id
       AND (l.first_inbound_at IS DISTINCT FROM x.first_inbound_at OR l.first_response_at IS DISTINCT FROM x.first_response_at);
    WITH x AS MATERIALIZED (
      SELECT id, app_analytics_lead_replied_at(lead_id, sent_at, id) AS at
        FROM messages WHERE user_id = p_user AND author = 'ai'
    )
    UPDATE messages m SET lead_replied_at = x.at
      FROM x
     WHERE m.id = x.id AND m.lead_replied_at IS DISTINCT FROM x.at;
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

CREATE OR REPLACE FUNCTION app_analytics_zone_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.timezone = 'UTC' THEN
    RETURN NULL;
  END IF;
  PERFORM app_analytics_rebuild(NEW.user_id, false);
  RETURN NULL;
END
$$;

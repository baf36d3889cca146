-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "first_inbound_at" TIMESTAMPTZ(3),
ADD COLUMN     "first_response_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "lead_replied_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "analytics_daily" (
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "follow_up_step" INTEGER NOT NULL,
    "leads_new" INTEGER NOT NULL DEFAULT 0,
    "messages_in" INTEGER NOT NULL DEFAULT 0,
    "ai_replies" INTEGER NOT NULL DEFAULT 0,
    "ai_follow_ups" INTEGER NOT NULL DEFAULT 0,
    "owner_messages" INTEGER NOT NULL DEFAULT 0,
    "business_app_messages" INTEGER NOT NULL DEFAULT 0,
    "ai_answered" INTEGER NOT NULL DEFAULT 0,
    "sends_failed" INTEGER NOT NULL DEFAULT 0,
    "sends_unconfirmed" INTEGER NOT NULL DEFAULT 0,
    "conversions" INTEGER NOT NULL DEFAULT 0,
    "opt_outs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_daily_pkey" PRIMARY KEY ("user_id","day","channel","follow_up_step")
);

-- CreateTable
CREATE TABLE "analytics_first_responses" (
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "bucket" INTEGER NOT NULL,
    "leads" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_first_responses_pkey" PRIMARY KEY ("user_id","day","channel","bucket")
);

-- CreateTable
CREATE TABLE "analytics_conversion_values" (
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "conversions" INTEGER NOT NULL DEFAULT 0,
    "value_minor" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_conversion_values_pkey" PRIMARY KEY ("user_id","day","channel","currency")
);

-- AddForeignKey
ALTER TABLE "analytics_daily" ADD CONSTRAINT "analytics_daily_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_first_responses" ADD CONSTRAINT "analytics_first_responses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_conversion_values" ADD CONSTRAINT "analytics_conversion_values_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for new tenant tables
SELECT app_protect_tenant_table('"analytics_daily"', 'user_id');
SELECT app_protect_tenant_table('"analytics_first_responses"', 'user_id');
SELECT app_protect_tenant_table('"analytics_conversion_values"', 'user_id');

-- ---------------------------------------------------------------------------------------------
-- Analytics rollups (docs/decisions/0030). Days are local days in the owner's zone
-- (brand_settings.timezone); a zone change rebuilds the owner. Every writer of messages and leads
-- (capture, the engine, owner replies, vendor statuses, convert/undo, opt-out, SQL imports) moves
-- the rollups in its own transaction through the triggers below. What a row counts is said once,
-- in app_analytics_message_counts / app_analytics_lead_counts: the triggers apply them to OLD (-1)
-- and NEW (+1); app_analytics_rebuild sums them over the raw tables.
-- ---------------------------------------------------------------------------------------------

-- Upper bounds (seconds, inclusive) of the first-response buckets. core's
-- FIRST_RESPONSE_BUCKET_BOUNDS_SECONDS is the source; analytics-rollups.test.ts fails on drift.
CREATE FUNCTION app_analytics_first_response_bounds() RETURNS integer[]
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT ARRAY[60, 300, 600, 900, 1800, 2700, 3600, 5400, 7200, 10800, 14400, 28800, 86400] $$;

-- 0-based bucket of a response time; the last bucket (= number of bounds) holds everything slower.
CREATE FUNCTION app_analytics_first_response_bucket(p_seconds numeric) RETURNS integer
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT coalesce(min(i) - 1, cardinality(app_analytics_first_response_bounds()))
    FROM generate_subscripts(app_analytics_first_response_bounds(), 1) AS i
   WHERE p_seconds <= (app_analytics_first_response_bounds())[i]
$$;

CREATE FUNCTION app_analytics_day(p_user uuid, p_at timestamptz) RETURNS date
  LANGUAGE sql STABLE
  AS $$
  SELECT (p_at AT TIME ZONE coalesce((SELECT timezone FROM brand_settings WHERE user_id = p_user), 'UTC'))::date
$$;

-- What one message counts, on the local day it was sent.
CREATE FUNCTION app_analytics_message_counts(m messages) RETURNS TABLE (
  day date, channel "Channel", follow_up_step integer, messages_in integer, ai_replies integer, ai_follow_ups integer,
  owner_messages integer, business_app_messages integer, ai_answered integer, sends_failed integer, sends_unconfirmed integer
)
  LANGUAGE sql STABLE
  AS $$
  SELECT app_analytics_day(m.user_id, m.sent_at), m.channel, coalesce(m.follow_up_step, 0),
         (m.author = 'lead')::integer,
         (m.author = 'ai' AND m.follow_up_step IS NULL)::integer,
         (m.author = 'ai' AND m.follow_up_step IS NOT NULL)::integer,
         (m.author = 'owner')::integer,
         (m.author = 'business_app')::integer,
         (m.author = 'ai' AND m.lead_replied_at IS NOT NULL)::integer,
         coalesce(m.delivery_status = 'failed', false)::integer,
         coalesce(m.delivery_status = 'unconfirmed', false)::integer
$$;

-- What one lead counts: it arrived, converted, opted out (each on its own local day; step 0).
CREATE FUNCTION app_analytics_lead_counts(l leads) RETURNS TABLE (
  day date, channel "Channel", leads_new integer, conversions integer, opt_outs integer
)
  LANGUAGE sql STABLE
  AS $$
  SELECT app_analytics_day(l.user_id, e.at), l.channel, e.leads_new, e.conversions, e.opt_outs
    FROM (VALUES (l.created_at, 1, 0, 0), (l.converted_at, 0, 1, 0), (l.opted_out_at, 0, 0, 1)) AS e (at, leads_new, conversions, opt_outs)
   WHERE e.at IS NOT NULL
$$;

-- The lead's first response (on its local day) and its conversion value (on the conversion's day).
CREATE FUNCTION app_analytics_lead_first_response(l leads) RETURNS TABLE (day date, channel "Channel", bucket integer)
  LANGUAGE sql STABLE
  AS $$
  SELECT app_analytics_day(l.user_id, l.first_response_at), l.channel,
         app_analytics_first_response_bucket(extract(epoch FROM l.first_response_at - l.first_inbound_at))
   WHERE l.first_response_at IS NOT NULL AND l.first_inbound_at IS NOT NULL
$$;

CREATE FUNCTION app_analytics_lead_value(l leads) RETURNS TABLE (day date, channel "Channel", currency char(3), value_minor bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT app_analytics_day(l.user_id, l.converted_at), l.channel, l.conversion_currency, l.conversion_value_minor
   WHERE l.converted_at IS NOT NULL AND l.conversion_value_minor IS NOT NULL
$$;

-- A rebuild of the owner holds this lock exclusively; every trigger holds it shared, so a rebuild
-- never interleaves with a writer of the same owner (no delta lost or counted twice).
CREATE FUNCTION app_analytics_lock_key(p_user uuid) RETURNS bigint
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT hashtextextended('audnix.analytics:' || p_user::text, 0) $$;

-- Whether a trigger applies its deltas: not while a rebuild recomputes this owner in this
-- transaction, and not for rows removed because their owner is being deleted.
CREATE FUNCTION app_analytics_applies(p_user uuid, p_deleting boolean) RETURNS boolean
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('app.analytics_rebuilding', true), '') = p_user::text THEN
    RETURN false;
  END IF;
  IF p_deleting AND NOT EXISTS (SELECT 1 FROM users WHERE id = p_user) THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(app_analytics_lock_key(p_user));
  RETURN true;
END
$$;

CREATE FUNCTION app_analytics_apply_message(m messages, p_sign integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, messages_in, ai_replies, ai_follow_ups,
                                    owner_messages, business_app_messages, ai_answered, sends_failed, sends_unconfirmed)
  SELECT m.user_id, c.day, c.channel, c.follow_up_step, p_sign * c.messages_in, p_sign * c.ai_replies,
         p_sign * c.ai_follow_ups, p_sign * c.owner_messages, p_sign * c.business_app_messages, p_sign * c.ai_answered,
         p_sign * c.sends_failed, p_sign * c.sends_unconfirmed
    FROM app_analytics_message_counts(m) c
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

CREATE FUNCTION app_analytics_apply_lead(l leads, p_sign integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, leads_new, conversions, opt_outs)
  SELECT l.user_id, c.day, c.channel, 0, p_sign * sum(c.leads_new), p_sign * sum(c.conversions), p_sign * sum(c.opt_outs)
    FROM app_analytics_lead_counts(l) c GROUP BY c.day, c.channel
  ON CONFLICT (user_id, day, channel, follow_up_step) DO UPDATE SET
    leads_new = a.leads_new + EXCLUDED.leads_new,
    conversions = a.conversions + EXCLUDED.conversions,
    opt_outs = a.opt_outs + EXCLUDED.opt_outs;
  INSERT INTO analytics_first_responses AS a (user_id, day, channel, bucket, leads)
  SELECT l.user_id, r.day, r.channel, r.bucket, p_sign FROM app_analytics_lead_first_response(l) r
  ON CONFLICT (user_id, day, channel, bucket) DO UPDATE SET leads = a.leads + EXCLUDED.leads;
  INSERT INTO analytics_conversion_values AS a (user_id, day, channel, currency, conversions, value_minor)
  SELECT l.user_id, v.day, v.channel, v.currency, p_sign, p_sign * v.value_minor FROM app_analytics_lead_value(l) v
  ON CONFLICT (user_id, day, channel, currency) DO UPDATE SET
    conversions = a.conversions + EXCLUDED.conversions,
    value_minor = a.value_minor + EXCLUDED.value_minor;
$$;

CREATE FUNCTION app_analytics_messages_rollup() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF app_analytics_applies(OLD.user_id, true) THEN PERFORM app_analytics_apply_message(OLD, -1); END IF;
  ELSIF TG_OP = 'INSERT' THEN
    IF app_analytics_applies(NEW.user_id, false) THEN PERFORM app_analytics_apply_message(NEW, 1); END IF;
  ELSIF (SELECT c FROM app_analytics_message_counts(OLD) c) IS DISTINCT FROM (SELECT c FROM app_analytics_message_counts(NEW) c)
        AND app_analytics_applies(NEW.user_id, false) THEN
    -- e.g. pending -> sent moves no counter; pending -> failed does.
    PERFORM app_analytics_apply_message(OLD, -1);
    PERFORM app_analytics_apply_message(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION app_analytics_leads_rollup() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND app_analytics_applies(OLD.user_id, TG_OP = 'DELETE') THEN
    PERFORM app_analytics_apply_lead(OLD, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND app_analytics_applies(NEW.user_id, false) THEN
    PERFORM app_analytics_apply_lead(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

-- When the lead answered an AI message: its first message after it and before the next AI
-- message (ordered by sent_at, then id). A lead who wrote twice answered once.
CREATE FUNCTION app_analytics_lead_replied_at(p_lead uuid, p_sent_at timestamptz, p_id uuid) RETURNS timestamptz
  LANGUAGE sql STABLE
  AS $$
  SELECT min(i.sent_at) FROM messages i
   WHERE i.lead_id = p_lead AND i.direction = 'inbound' AND i.sent_at > p_sent_at
     AND i.sent_at < coalesce(
       (SELECT n.sent_at FROM messages n
         WHERE n.lead_id = p_lead AND n.author = 'ai' AND (n.sent_at, n.id) > (p_sent_at, p_id)
         ORDER BY n.sent_at, n.id LIMIT 1),
       'infinity')
$$;

-- The lead's first inbound message and the first outbound message after it that did not fail.
CREATE FUNCTION app_analytics_first_response(p_lead uuid) RETURNS TABLE (first_inbound_at timestamptz, first_response_at timestamptz)
  LANGUAGE sql STABLE
  AS $$
  WITH f AS (SELECT min(sent_at) AS at FROM messages WHERE lead_id = p_lead AND direction = 'inbound')
  SELECT f.at,
         (SELECT min(o.sent_at) FROM messages o
           WHERE o.lead_id = p_lead AND o.direction = 'outbound' AND o.sent_at > f.at
             AND o.delivery_status IS DISTINCT FROM 'failed')
    FROM f
$$;

-- A message came, went, or failed: bring the derived columns of its lead, and of the AI message
-- just before it, up to date (their own triggers then move the rollups). Only rows next to the
-- change can change: a new AI message shortens the window of the AI message before it; a lead
-- message answers the AI message before it.
CREATE FUNCTION app_analytics_messages_links() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  r messages;
  v_first_inbound timestamptz;
  v_first_response timestamptz;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF coalesce(current_setting('app.analytics_rebuilding', true), '') = r.user_id::text THEN
    RETURN NULL;
  END IF;
  SELECT f.first_inbound_at, f.first_response_at INTO v_first_inbound, v_first_response
    FROM app_analytics_first_response(r.lead_id) f;
  UPDATE leads SET first_inbound_at = v_first_inbound, first_response_at = v_first_response
   WHERE id = r.lead_id
     AND (first_inbound_at IS DISTINCT FROM v_first_inbound OR first_response_at IS DISTINCT FROM v_first_response);
  UPDATE messages m SET lead_replied_at = app_analytics_lead_replied_at(m.lead_id, m.sent_at, m.id)
   WHERE m.id IN (
           (SELECT p.id FROM messages p
             WHERE p.lead_id = r.lead_id AND p.author = 'ai' AND (p.sent_at, p.id) < (r.sent_at, r.id)
             ORDER BY p.sent_at DESC, p.id DESC LIMIT 1)
           UNION ALL
           SELECT r.id WHERE TG_OP <> 'DELETE' AND r.author = 'ai')
     AND m.lead_replied_at IS DISTINCT FROM app_analytics_lead_replied_at(m.lead_id, m.sent_at, m.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER analytics_rollup AFTER INSERT OR DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION app_analytics_messages_rollup();
CREATE TRIGGER analytics_rollup_update AFTER UPDATE OF user_id, channel, author, follow_up_step, sent_at, delivery_status, lead_replied_at
  ON messages FOR EACH ROW EXECUTE FUNCTION app_analytics_messages_rollup();
CREATE TRIGGER analytics_links AFTER INSERT OR DELETE OR UPDATE OF lead_id, direction, author, sent_at, delivery_status
  ON messages FOR EACH ROW EXECUTE FUNCTION app_analytics_messages_links();
CREATE TRIGGER analytics_rollup AFTER INSERT OR DELETE ON leads
  FOR EACH ROW EXECUTE FUNCTION app_analytics_leads_rollup();
CREATE TRIGGER analytics_rollup_update
  AFTER UPDATE OF user_id, channel, created_at, converted_at, conversion_value_minor, conversion_currency, opted_out_at,
                  first_inbound_at, first_response_at ON leads
  FOR EACH ROW EXECUTE FUNCTION app_analytics_leads_rollup();

-- Recomputes one owner's derived columns and rollups from the raw tables, through the same
-- functions the triggers use (pnpm analytics:rebuild; also on a zone change). Idempotent.
CREATE FUNCTION app_analytics_rebuild(p_user uuid) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_days integer;
BEGIN
  PERFORM pg_advisory_xact_lock(app_analytics_lock_key(p_user));
  PERFORM set_config('app.analytics_rebuilding', p_user::text, true);

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

  DELETE FROM analytics_daily WHERE user_id = p_user;
  DELETE FROM analytics_first_responses WHERE user_id = p_user;
  DELETE FROM analytics_conversion_values WHERE user_id = p_user;

  INSERT INTO analytics_daily (user_id, day, channel, follow_up_step, messages_in, ai_replies, ai_follow_ups,
                               owner_messages, business_app_messages, ai_answered, sends_failed, sends_unconfirmed)
  SELECT p_user, c.day, c.channel, c.follow_up_step, sum(c.messages_in), sum(c.ai_replies), sum(c.ai_follow_ups),
         sum(c.owner_messages), sum(c.business_app_messages), sum(c.ai_answered), sum(c.sends_failed), sum(c.sends_unconfirmed)
    FROM messages m CROSS JOIN LATERAL app_analytics_message_counts(m) c
   WHERE m.user_id = p_user
   GROUP BY c.day, c.channel, c.follow_up_step;
  INSERT INTO analytics_daily AS a (user_id, day, channel, follow_up_step, leads_new, conversions, opt_outs)
  SELECT p_user, c.day, c.channel, 0, sum(c.leads_new), sum(c.conversions), sum(c.opt_outs)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_counts(l) c
   WHERE l.user_id = p_user
   GROUP BY c.day, c.channel
  ON CONFLICT (user_id, day, channel, follow_up_step) DO UPDATE SET
    leads_new = EXCLUDED.leads_new, conversions = EXCLUDED.conversions, opt_outs = EXCLUDED.opt_outs;
  INSERT INTO analytics_first_responses (user_id, day, channel, bucket, leads)
  SELECT p_user, r.day, r.channel, r.bucket, count(*)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_first_response(l) r
   WHERE l.user_id = p_user
   GROUP BY r.day, r.channel, r.bucket;
  INSERT INTO analytics_conversion_values (user_id, day, channel, currency, conversions, value_minor)
  SELECT p_user, v.day, v.channel, v.currency, count(*), sum(v.value_minor)
    FROM leads l CROSS JOIN LATERAL app_analytics_lead_value(l) v
   WHERE l.user_id = p_user
   GROUP BY v.day, v.channel, v.currency;

  SELECT count(DISTINCT day) INTO v_days FROM analytics_daily WHERE user_id = p_user;
  PERFORM set_config('app.analytics_rebuilding', '', true);
  RETURN jsonb_build_object('userId', p_user, 'days', v_days);
END
$$;

-- Days are the owner's local days: a new zone regroups everything, in the same transaction.
CREATE FUNCTION app_analytics_zone_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.timezone = 'UTC' THEN
    RETURN NULL;
  END IF;
  PERFORM app_analytics_rebuild(NEW.user_id);
  RETURN NULL;
END
$$;

CREATE TRIGGER analytics_zone AFTER INSERT ON brand_settings
  FOR EACH ROW EXECUTE FUNCTION app_analytics_zone_changed();
CREATE TRIGGER analytics_zone_update AFTER UPDATE OF timezone ON brand_settings
  FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION app_analytics_zone_changed();

-- Existing data: derived columns and rollups for every owner.
SELECT app_analytics_rebuild(id) FROM users;

-- The lead list's first page (packages/api/src/routers/leads/list.handler.ts) sorts by
-- last_message_at DESC NULLS LAST, created_at DESC, id DESC: this index matches it exactly, so the
-- page reads 50 index entries instead of sorting every lead of the owner.
CREATE INDEX "leads_user_id_last_message_at_list_idx"
  ON "leads" ("user_id", "last_message_at" DESC NULLS LAST, "created_at" DESC, "id" DESC);
-- It supersedes (user_id, last_message_at DESC), which sorted nulls first and matched no query.
DROP INDEX "leads_user_id_last_message_at_idx";

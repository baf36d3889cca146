-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "delivery_status_at" TIMESTAMPTZ(3),
ADD COLUMN     "failure_code" TEXT;

-- Vendor reports on messages we sent (docs/decisions/0026): WhatsApp statuses by wamid and
-- Instagram reads (every outbound message to that lead up to the one read). Called by
-- captureDelivery in the same statement as app_capture_delivery, on that function's summary, so it
-- runs after it in the same transaction and only for the accounts it routed and processed now (a
-- redelivered delivery was applied the first time). The order of statuses is core's
-- DELIVERY_STATUS_RANK, passed as p_status_ranks: a report moves a message only to a higher rank.
-- A report for a message we do not have (another tool's send, or not yet recorded) changes nothing.
CREATE FUNCTION app_capture_delivery_reports(
  p_channel "Channel",
  p_summary jsonb,
  p_groups jsonb,
  p_status_ranks jsonb
) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  g jsonb;
  e jsonb;
  v_user uuid;
  v_message uuid;
  v_lead uuid;
  v_up_to timestamptz;
  v_changed integer;
  v_applied integer := 0;
BEGIN
  PERFORM set_config('app.system', 'on', true);

  FOR g IN SELECT value FROM jsonb_array_elements(p_groups) LOOP
    SELECT (o->>'userId')::uuid INTO v_user FROM jsonb_array_elements(p_summary->'groups') o
     WHERE o->>'accountId' = g->>'accountId' AND o->>'outcome' = 'processed';
    CONTINUE WHEN v_user IS NULL;

    FOR e IN SELECT value FROM jsonb_array_elements(g->'events') WHERE value->>'kind' IN ('status', 'read') LOOP
      -- The message reported on, found by the unique (channel, provider id); then, for a read, every
      -- earlier message we sent that lead was seen too. Both end up as rows of one lead.
      SELECT m.id, m.lead_id, m.sent_at INTO v_message, v_lead, v_up_to FROM messages m
       WHERE m.channel = p_channel AND m.provider_message_id = e->>'providerMessageId'
         AND m.user_id = v_user AND m.direction = 'outbound';
      CONTINUE WHEN NOT FOUND;
      IF e->>'kind' = 'read' THEN
        -- Only the lead who read can have read it.
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM leads WHERE id = v_lead AND external_id = e->>'leadExternalId');
        v_message := NULL;
      END IF;

      WITH changed AS (
        UPDATE messages m
           SET delivery_status = (e->>'status')::"DeliveryStatus",
               delivery_status_at = (e->>'at')::timestamptz,
               failure_reason = e->'failure'->>'reason',
               failure_code = e->'failure'->>'code'
         WHERE m.lead_id = v_lead AND m.user_id = v_user AND m.channel = p_channel AND m.direction = 'outbound'
           AND (m.id = v_message OR (v_message IS NULL AND m.sent_at <= v_up_to))
           -- A message without a status (an echo of the business app) is not ours to track.
           AND (p_status_ranks->>(e->>'status'))::integer > (p_status_ranks->>(m.delivery_status::text))::integer
        RETURNING m.id)
      SELECT count(*) INTO v_changed FROM changed;

      IF v_changed > 0 THEN
        v_applied := v_applied + v_changed;
        PERFORM pg_notify('audnix_live', json_build_object('userId', v_user, 'type', 'lead.updated', 'leadId', v_lead)::text);
      END IF;
    END LOOP;
  END LOOP;

  RETURN p_summary || jsonb_build_object('deliveryReportsApplied', v_applied);
END
$$;

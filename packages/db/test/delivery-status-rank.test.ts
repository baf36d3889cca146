import { readFileSync } from "node:fs";
import { DELIVERY_STATUS_RANK, DELIVERY_STATUSES } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { DeliveryStatus } from "../src/generated/prisma/enums.ts";

// The order vendor reports move a message in is core's (DELIVERY_STATUS_RANK, docs/decisions/0026);
// the capture SQL gets it as a parameter. These fail when the enum, core and the SQL drift apart.
const REPORTS_SQL = readFileSync(
  new URL("../prisma/migrations/20261202005832_message_delivery_status_details/migration.sql", import.meta.url),
  "utf8",
);

describe("delivery status order", () => {
  it("ranks exactly the statuses the database knows", () => {
    expect([...DELIVERY_STATUSES].sort()).toEqual(Object.values(DeliveryStatus).sort());
    expect(Object.keys(DELIVERY_STATUS_RANK).sort()).toEqual(Object.values(DeliveryStatus).sort());
  });

  it("is not restated in app_capture_delivery_reports, which compares core's ranks only", () => {
    const body = REPORTS_SQL.slice(REPORTS_SQL.indexOf("CREATE FUNCTION app_capture_delivery_reports"));
    expect(body).toContain("p_status_ranks");
    // 'read' is also the name of Instagram's read-receipt event kind, so it cannot be told apart here.
    for (const status of DELIVERY_STATUSES.filter((name) => name !== "read")) expect(body).not.toContain(`'${status}'`);
  });
});

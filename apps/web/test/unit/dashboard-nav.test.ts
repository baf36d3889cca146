import { describe, expect, it } from "vitest";
import { currentNavItem, dashboardNavItems } from "../../app/components/dashboard-nav.tsx";

const items = dashboardNavItems({ needsYouCount: 2 });
const current = (pathname: string, search = "") => currentNavItem(items, pathname, search)?.label ?? null;

describe("the dashboard navigation's current page", () => {
  it("is Needs you on the queue, and Leads on the plain or otherwise filtered list", () => {
    expect(current("/dashboard", "?needsYou=1")).toBe("Needs you");
    expect(current("/dashboard", "?status=lost&needsYou=1")).toBe("Needs you");
    expect(current("/dashboard")).toBe("Leads");
    expect(current("/dashboard", "?status=lost")).toBe("Leads");
  });

  it("is a page under its path, and nothing on a path the navigation does not hold", () => {
    expect(current("/dashboard/knowledge")).toBe("Knowledge");
    expect(current("/dashboard/settings/extra")).toBe("Settings");
    expect(current("/dashboard/leads/123")).toBeNull();
  });

  it("shows the count on the Needs you item", () => {
    expect(items.find((item) => item.label === "Needs you")?.count).toBe(2);
  });
});

// <portal-me>: who am I, my company and my rights, from /api/v1/me/.
import { api } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { PortalElement } from "../lib/portal-element.js";

class PortalMe extends PortalElement {
  load() {
    return api(this.getAttribute("src") || "/api/v1/me/");
  }

  render(me) {
    const header = document.createElement("div");
    header.className = "me__header";
    const name = document.createElement("p");
    name.className = "me__name";
    name.textContent = me.full_name || me.email;
    header.append(name);
    if (me.company) {
      const company = document.createElement("span");
      company.className = "me__company";
      company.dataset.field = "company";
      company.textContent = `${me.company.name} (${me.company.code})`;
      header.append(company);
    }
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.dataset.field = "role";
    badge.textContent = me.role || (me.kind === "technician" ? t("technician") : t("staff"));
    header.append(badge);
    this.append(header);

    if (me.kind !== "client") return;
    const heading = document.createElement("h3");
    heading.textContent = t("rights");
    const list = document.createElement("ul");
    list.className = "rights";
    for (const right of me.rights) {
      const item = document.createElement("li");
      item.dataset.right = right.code;
      item.dataset.granted = String(right.granted);
      const mark = document.createElement("span");
      mark.className = "rights__mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = right.granted ? "✓" : "–";
      const label = document.createElement("span");
      label.textContent = right.label;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` (${right.granted ? t("granted") : t("denied")})`;
      item.append(mark, label, hidden);
      list.append(item);
    }
    this.append(heading, list);
  }
}

customElements.define("portal-me", PortalMe);

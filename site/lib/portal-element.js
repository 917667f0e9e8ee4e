// Base class of the portal widgets: loading, empty and error states, in one place.
import { t } from "./i18n.js";

export class PortalElement extends HTMLElement {
  connectedCallback() {
    this.classList.add("widget");
    this.setAttribute("aria-live", "polite");
    this.refresh();
  }

  async refresh() {
    this.setAttribute("aria-busy", "true");
    this.replaceChildren(this.stateNode("loading", t("loading")));
    try {
      const data = await this.load();
      this.replaceChildren();
      if (this.isEmpty(data)) this.replaceChildren(this.stateNode("empty", t("empty")));
      else this.render(data);
    } catch (error) {
      const node = this.stateNode("error", error.message);
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button";
      retry.textContent = t("retry");
      retry.addEventListener("click", () => this.refresh());
      node.append(retry);
      this.replaceChildren(node);
    } finally {
      this.removeAttribute("aria-busy");
    }
  }

  stateNode(state, text) {
    const node = document.createElement("div");
    node.className = `widget__state widget__state--${state}`;
    node.dataset.state = state;
    if (state === "loading") {
      const spinner = document.createElement("span");
      spinner.className = "spinner";
      spinner.setAttribute("aria-hidden", "true");
      node.append(spinner);
    }
    if (state === "error") node.setAttribute("role", "alert");
    const label = document.createElement("span");
    label.textContent = text;
    node.append(label);
    return node;
  }

  // Subclasses: load() returns the data, render(data) draws it.
  isEmpty(data) {
    return data == null || (Array.isArray(data) && data.length === 0);
  }
}

// Base of the portal widgets: loading, empty and error states, in one place.
import { clearFieldErrorsOnEdit } from "./dom.js";
import { t } from "./i18n.js";

// Worth a "Réessayer": the network or the server failed (status 0, 5xx, 429). A 4xx answer
// will not change by asking again.
export const isRetryable = (error) => !error || error.status === undefined || error.status === 0
  || error.status >= 500 || error.status === 429;

export class PortalElement extends HTMLElement {
  connectedCallback() {
    this.classList.add("widget");
    this.setAttribute("aria-live", "polite");
    clearFieldErrorsOnEdit(this);
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
      this.replaceChildren(this.errorNode(error, () => this.refresh()));
    } finally {
      this.removeAttribute("aria-busy");
    }
  }

  // The error state: a missing or foreign object (404) says so and leads back to the list
  // (`list_page`, else `back` if given); "Réessayer" only where asking again may help.
  errorNode(error, retry, back = this.getAttribute("list_page")) {
    if (error && error.status === 404) {
      const node = this.stateNode("error", t("notFound"));
      node.dataset.error = "not-found";
      if (back) {
        const link = document.createElement("a");
        link.className = "button";
        link.href = back;
        link.dataset.action = "back";
        link.textContent = t("backToList");
        node.append(link);
      }
      return node;
    }
    const node = this.stateNode("error", error.message);
    if (retry && isRetryable(error)) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.action = "retry";
      button.textContent = t("retry");
      button.addEventListener("click", retry);
      node.append(button);
    }
    return node;
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

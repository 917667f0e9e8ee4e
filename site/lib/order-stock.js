// What a typed quantity gets against the available stock (on hand − reserved), under the
// portal's stock policy ("refuse" or "backorder", settings.ORDER_STOCK_POLICY, given by the
// API): said next to the quantity field before anything is added. The server enforces the
// same policy (orders/services.py); this only tells it early.
import { date, number } from "./format.js";
import "./i18n-orders.js";
import { t } from "./i18n.js";

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, key) => vars[key] ?? "");

export function restockText(restockDate) {
  return restockDate ? fill(t("restockOn"), { date: date(restockDate) }) : t("restockUnknown");
}

// { kind: "info" | "warn" | "refused", text } for a quantity typed against `available`
// (null: the article keeps no stock, nothing to say).
export function stockHint({ available, quantity, policy, restockDate }) {
  if (available === null || available === undefined) return null;
  const stock = Math.max(Number(available), 0);
  const wanted = Number(quantity);
  const shown = number(stock, 3);
  const restock = restockText(restockDate);
  if (stock <= 0) {
    return policy === "backorder" ? { kind: "warn", text: fill(t("stockBackorderOut"), { restock }) }
      : { kind: "refused", text: t("stockRefuseOut") };
  }
  if (!(wanted > 0) || wanted <= stock) return { kind: "info", text: fill(t("stockAvailable"), { qty: shown }) };
  if (policy === "backorder") {
    return { kind: "warn", text: fill(t("stockBackorder"), { available: shown, rest: number(wanted - stock, 3), restock }) };
  }
  return { kind: "refused", text: fill(t("stockRefuse"), { available: shown }) };
}

// The hint's element under a quantity field: polite live region, linked to the field.
export function hintNode(input, id) {
  const hint = document.createElement("p");
  hint.className = "stock-hint";
  hint.id = id;
  hint.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", id);
  return hint;
}

export function showHint(hint, result) {
  hint.hidden = !result;
  hint.textContent = result ? result.text : "";
  hint.dataset.kind = result ? result.kind : "";
}

// The back-order mark of an order line (null if none of it is back-ordered).
export function backorderMark(line) {
  if (!(Number(line.backordered_quantity) > 0)) return null;
  const badge = document.createElement("span");
  badge.className = "status status--warn backorder-mark";
  badge.dataset.backorder = line.backordered_quantity;
  badge.textContent = fill(t("backorderMark"), { qty: number(line.backordered_quantity, 3), restock: restockText(line.restock_date) });
  return badge;
}

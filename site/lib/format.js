// Numbers, amounts, dates and quantities with their unit in the page's language (French by
// default).
import { t } from "./i18n.js";

const locale = () => (document.documentElement.lang || "fr").startsWith("en") ? "en-GB" : "fr-FR";

export function money(value) {
  if (value === null || value === undefined || value === "") return "";
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR" }).format(Number(value));
}

export function number(value, digits = 0) {
  if (value === null || value === undefined || value === "") return "";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(Number(value));
}

export function date(value) {
  if (!value) return "";
  const d = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "short" }).format(d);
}

export function dateTime(value) {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale(), { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" })
    .format(new Date(value));
}

// A unit's name agreeing with the quantity (« 1 unité », « 3 unités »; French reads 0 and 1,5
// as singular): the language's plural rule picks unit_<code>_one or unit_<code>_other of the
// catalogue; an unknown code is shown as is.
export function unitName(code, quantity = 1) {
  if (!code) return "";
  const form = new Intl.PluralRules(locale()).select(Number(quantity)) === "one" ? "one" : "other";
  const key = `unit_${code}_${form}`;
  const name = t(key);
  return name === key ? code : name;
}

export function quantityWithUnit(quantity, code, digits = 3) {
  const unit = unitName(code, quantity);
  return unit ? `${number(quantity, digits)} ${unit}` : number(quantity, digits);
}

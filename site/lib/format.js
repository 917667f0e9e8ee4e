// Numbers, amounts and dates in the page's language (French by default).
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

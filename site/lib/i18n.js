// Widget strings in the page's language (French first, English second).
const catalogues = {
  fr: {
    loading: "Chargement…",
    retry: "Réessayer",
    empty: "Rien à afficher pour le moment.",
    granted: "accordé",
    denied: "non accordé",
    rights: "Mes droits sur le portail",
    technician: "Technicien",
    staff: "Personnel",
    company: "Société",
  },
  en: {
    loading: "Loading…",
    retry: "Try again",
    empty: "Nothing to show yet.",
    granted: "granted",
    denied: "not granted",
    rights: "My rights on the portal",
    technician: "Technician",
    staff: "Staff",
    company: "Company",
  },
};

export function t(key) {
  const lang = (document.documentElement.lang || "fr").slice(0, 2);
  return (catalogues[lang] || catalogues.fr)[key] ?? catalogues.fr[key] ?? key;
}

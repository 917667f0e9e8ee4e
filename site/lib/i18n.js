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
    all: "Tous",
    filter: "Filtrer",
    export: "Exporter (.xlsx)",
    pagination: "Pagination",
    count: "{count} résultat(s)",
    previous: "Précédent",
    next: "Suivant",
    save: "Enregistrer",
    cancel: "Annuler",
    saved: "Enregistré.",
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
    all: "All",
    filter: "Filter",
    export: "Export (.xlsx)",
    pagination: "Pagination",
    count: "{count} result(s)",
    previous: "Previous",
    next: "Next",
    save: "Save",
    cancel: "Cancel",
    saved: "Saved.",
  },
};

export function t(key) {
  const lang = (document.documentElement.lang || "fr").slice(0, 2);
  return (catalogues[lang] || catalogues.fr)[key] ?? catalogues.fr[key] ?? key;
}

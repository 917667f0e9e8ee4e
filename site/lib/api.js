// The small API client every widget uses: session auth with CSRF, the portal's error shape
// turned into a readable message, and paginated lists.

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || ApiError.fallback(status));
    this.status = status;
    this.code = error.code || "error";
    this.fields = error.fields || {};
  }

  static fallback(status) {
    const fr = (document.documentElement.lang || "fr").startsWith("fr");
    if (status === 0) return fr ? "Connexion impossible. Vérifiez votre réseau et réessayez." : "Cannot connect. Check your network and try again.";
    if (status === 403) return fr ? "Vous n'avez pas le droit d'accéder à ces informations." : "You are not allowed to see this.";
    if (status === 404) return fr ? "Élément introuvable." : "Not found.";
    return fr ? "Une erreur est survenue. Réessayez dans un instant." : "Something went wrong. Try again in a moment.";
  }
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "fr", ...headers },
  };
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) init.headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (networkError) {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Yields every result of a paginated list, page after page.
export async function* paginate(path) {
  let next = path;
  while (next) {
    const page = await api(next);
    yield* page.results;
    next = page.next;
  }
}

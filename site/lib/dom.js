// Small DOM helpers shared by the form widgets.

// el("div", { class: "x", text: "…", hidden: true }, child, …): an element with its
// attributes (true → bare attribute, false/null → left out) and children.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (value !== false && value != null) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

// The API's field errors (error.fields) shown next to their fields ([data-error-for=name]);
// the first invalid field gets the focus; each goes away when its field is edited.
export function showFieldErrors(form, error) {
  clearFieldErrorsOnEdit(form);
  for (const node of form.querySelectorAll("[data-error-for]")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  let first = null;
  for (const [name, messages] of Object.entries((error && error.fields) || {})) {
    const node = form.querySelector(`[data-error-for="${name}"]`);
    if (!node) continue;
    node.textContent = [].concat(messages).join(" ");
    node.hidden = false;
    const input = form.querySelector(`[name="${name}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first = first || input;
    }
  }
  if (first) first.focus();
}

// A field's error goes away as soon as the user edits the field: its [data-error-for] (by the
// field's name, or the name of the [data-field] wrapping it), the errors its aria-describedby
// points to, and the .field-error messages inside its [data-field] wrapper. Installed once
// per root (a widget), delegated, so fields drawn later are covered too.
const clearing = new WeakSet();

function clearFieldError(event) {
  const input = event.target;
  if (!(input instanceof Element) || !input.matches("input, select, textarea")) return;
  const root = event.currentTarget;
  const wrapper = input.closest("[data-field]");
  const names = new Set([input.name, wrapper && wrapper.dataset.field].filter(Boolean));
  const nodes = new Set();
  for (const name of names) {
    for (const node of root.querySelectorAll(`[data-error-for="${CSS.escape(name)}"]`)) nodes.add(node);
  }
  for (const id of (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)) {
    const node = document.getElementById(id);
    if (node && node.matches(".field-error, [data-error-for]")) nodes.add(node);
  }
  if (wrapper) for (const node of wrapper.querySelectorAll(".field-error")) nodes.add(node);
  for (const node of nodes) {
    if (node.matches("[data-error-for], [id]")) {
      node.hidden = true;
      node.textContent = "";
    } else {
      node.remove();  // a message drawn for this error only
    }
  }
  input.removeAttribute("aria-invalid");
  if (wrapper) for (const other of wrapper.querySelectorAll("[aria-invalid]")) other.removeAttribute("aria-invalid");
}

export function clearFieldErrorsOnEdit(root) {
  if (!root || clearing.has(root)) return;
  clearing.add(root);
  // Capture phase: the old error goes before the field's own handlers run, so that a check
  // made on the same event (a file refused when picked) shows its new error.
  root.addEventListener("input", clearFieldError, true);
  root.addEventListener("change", clearFieldError, true);
}

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
// the first invalid field gets the focus.
export function showFieldErrors(form, error) {
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

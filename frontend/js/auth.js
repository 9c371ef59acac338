// Who is using the explorer: an optional API token (Bearer, kept for this browser tab only)
// and the role that decides whether edit controls show. Every edit control carries
// data-requires="edit"; the body class `can-edit` is the one switch that shows them.
// The role comes from the server (`me { role }`) before every (re)load of the maps, and is
// "viewer" until it is known: edit controls never show to someone who may not edit.

import { api } from "./api.js";
import { $, h, replace } from "./dom.js";

export function setRole(app, role) {
  app.role = role;
  app.canEdit = role !== "viewer";
  document.body.classList.toggle("can-edit", app.canEdit);
}

/** Ask the server who we are; "viewer" when it will not say (no or a refused token). */
export async function refreshRole(app) {
  let role = "viewer";
  try {
    const data = await api.graphql("{ me { role canEdit } }");
    role = data.me.canEdit ? String(data.me.role).toLowerCase() : "viewer";
  } catch {
    // UNAUTHENTICATED opens the sign-in dialog (onAuthRequired); stay a viewer meanwhile.
  }
  app.setRole(role);
  return role;
}

export function setupAuth(app) {
  const dialog = $("#signin-dialog");
  const form = $("#signin-form");
  const field = $("#signin-token");
  const message = $("#signin-message");
  const button = $("#signin");

  const refreshButton = () => {
    button.textContent = api.token ? "Sign out" : "Sign in";
    button.hidden = !api.token && !app.authRequired;
  };

  const open = (reason) => {
    replace(message, reason ? h("span", null, reason) : null);
    field.value = "";
    if (!dialog.open) dialog.showModal();
    field.focus();
  };

  api.onAuthRequired = (error) => {
    app.authRequired = true;
    refreshButton();
    open(error.code === "FORBIDDEN" ? "This token may not do that. Sign in with another one." : "This server needs an API token.");
  };

  button.addEventListener("click", () => {
    if (api.token) {
      api.setToken(null);
      refreshButton();
      app.reload();
    } else {
      open(null);
    }
  });

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const token = field.value.trim();
    if (!token) return;
    api.setToken(token);
    dialog.close();
    refreshButton();
    app.reload();
  });
  $("#signin-cancel").addEventListener("click", () => dialog.close());
  refreshButton();

  // Every boot (the first, and each reload after signing in or out) learns the role first.
  app.setRole("viewer");
  const boot = app.boot.bind(app);
  app.boot = async () => {
    await refreshRole(app);
    return boot();
  };
}

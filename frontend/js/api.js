// The one client of the public API. Every request goes through `Api.fetch`, which adds the
// Bearer token when there is one; every failure becomes an ApiError with the API's stable
// `code` and, for invalid input, its `problems` ({message, path}).

const TOKEN_KEY = "graphsvc.token";
const AUTH_CODES = new Set(["UNAUTHENTICATED", "UNAUTHORIZED"]);
const FORBIDDEN_CODES = new Set(["FORBIDDEN"]);

export class ApiError extends Error {
  constructor(message, { code = "INTERNAL", problems = [], status = 0 } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.problems = problems;
    this.status = status;
  }
}

function codeForStatus(status) {
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 413) return "LIMIT_EXCEEDED";
  if (status === 503) return "STORE_UNAVAILABLE";
  return status >= 500 ? "INTERNAL" : "INVALID_INPUT";
}

/** The one error shape ({errors: [{message, extensions: {code, problems}}]}) as an ApiError. */
export function errorFromBody(body, status) {
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (!errors.length) return new ApiError(`the server answered ${status}`, { code: codeForStatus(status), status });
  const first = errors[0];
  return new ApiError(errors.map((e) => e.message).join("; "), {
    code: first.extensions?.code ?? codeForStatus(status),
    problems: errors.flatMap((e) => e.extensions?.problems ?? []),
    status,
  });
}

export class Api {
  constructor({ base = "", storage = window.sessionStorage } = {}) {
    this.base = base;
    this.storage = storage;
    /** Called with the ApiError when the server wants a (different) token. */
    this.onAuthRequired = null;
  }

  get token() {
    return this.storage.getItem(TOKEN_KEY) || null;
  }

  setToken(token) {
    if (token) this.storage.setItem(TOKEN_KEY, token);
    else this.storage.removeItem(TOKEN_KEY);
  }

  async fetch(path, init = {}) {
    const headers = new Headers(init.headers);
    const token = this.token;
    if (token) headers.set("Authorization", `Bearer ${token}`);
    try {
      return await fetch(this.base + path, { ...init, headers, credentials: "same-origin" });
    } catch (cause) {
      throw new ApiError(`cannot reach the server (${cause.message})`, { code: "NETWORK" });
    }
  }

  _failed(error, sent) {
    // An answer to a request sent with an older token (signed in or out meanwhile) must not
    // ask for a token again: the caller's current request carries the new one.
    if (sent !== this.token) return error;
    if ((AUTH_CODES.has(error.code) || FORBIDDEN_CODES.has(error.code)) && this.onAuthRequired) {
      this.onAuthRequired(error);
    }
    return error;
  }

  /** One GraphQL operation; its `data`, or an ApiError (partial results count as failures). */
  async graphql(query, variables = {}) {
    const sent = this.token;
    const response = await this.fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    let body;
    try {
      body = await response.json();
    } catch {
      throw this._failed(new ApiError(`unreadable answer (HTTP ${response.status})`, {
        code: codeForStatus(response.status || 500),
        status: response.status,
      }), sent);
    }
    if (body.errors?.length || !response.ok) throw this._failed(errorFromBody(body, response.status), sent);
    return body.data;
  }

  /** A REST resource as a Blob, with the file name the server suggests. */
  async download(path) {
    const sent = this.token;
    const response = await this.fetch(path);
    if (!response.ok) {
      let body = null;
      try {
        body = await response.json();
      } catch {
        // not the error shape: fall back to the status
      }
      throw this._failed(errorFromBody(body, response.status), sent);
    }
    const disposition = response.headers.get("Content-Disposition") ?? "";
    const match = /filename="?([^";]+)"?/.exec(disposition);
    return { blob: await response.blob(), filename: match ? match[1] : null };
  }

  /** A REST resource parsed as JSON. */
  async json(path) {
    const { blob } = await this.download(path);
    return JSON.parse(await blob.text());
  }
}

export const api = new Api();

// The dashboard's only way to the API: registered operations, sent by id.
//
// The API runs nothing but the documents of portal_host/operations on this
// route in production, so the client sends `documentId` (never a query
// text). Every operation the app uses must be a file there; an unknown name
// fails here, before any request.

export class ApiError extends Error {
  /** kind: 'unregistered', 'network', 'unauthenticated', 'server' or 'graphql'. */
  constructor(kind, message, errors = []) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.errors = errors;
  }
}

/** An answer with data; `errors` are the fields that could not be read. */
export class Result {
  constructor(data, errors = []) {
    this.data = data;
    this.errors = errors;
  }

  /** The code of an error at this path or below it, e.g. 'ON_HOLD'. */
  codeAt(...path) {
    const found = this.errors.find((error) =>
      path.every((part, index) => error.path?.[index] === part));
    return found ? found.extensions?.code ?? 'ERROR' : null;
  }
}

export class ApiClient {
  constructor({ url, operations, session, fetch = window.fetch.bind(window) }) {
    this.url = url;
    this.operations = operations;
    this.session = session;
    this.fetch = fetch;
    this.onUnauthenticated = () => {};
  }

  has(name) {
    return Object.hasOwn(this.operations, name);
  }

  /** Run a registered operation; a Result, or an ApiError that says why not. */
  async run(name, variables = {}) {
    if (!this.has(name)) {
      throw new ApiError('unregistered', `The operation ${name} is not registered.`);
    }
    const response = await this.send(name, variables);
    if (response.status === 401) {
      this.onUnauthenticated();
      throw new ApiError('unauthenticated', 'Your session has ended. Sign in again.');
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError('server', 'The server gave an answer the dashboard cannot read. Try again.');
    }
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (!body.data) {
      const message = errors[0]?.message ?? 'The server could not answer. Try again.';
      throw new ApiError('graphql', message, errors);
    }
    return new Result(body.data, errors);
  }

  /** Run a mutation and return its payload (`field` of the data), userErrors included. */
  async mutate(name, field, variables = {}) {
    const result = await this.run(name, variables);
    const payload = result.data[field];
    if (!payload) throw new ApiError('graphql', result.errors[0]?.message ?? 'The change was not made.', result.errors);
    return payload;
  }

  async send(name, variables) {
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json;q=0.9',
    };
    const token = this.session.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const body = JSON.stringify({ documentId: this.operations[name], operationName: name, variables });
    try {
      return await this.fetch(this.url, {
        method: 'POST', headers, body, mode: 'cors', credentials: 'omit', cache: 'no-store',
      });
    } catch {
      throw new ApiError('network', 'The dashboard could not reach the server. Check your connection and try again.');
    }
  }
}

// The dashboard's access token, kept in sessionStorage.
//
// Why there: the token must survive a reload and the sign-in link opening in
// a new tab, but it should not outlive the tab, nor be shared with other tabs
// or read back days later from disk, as localStorage would allow. Memory
// alone would sign the client out on every reload. Script on the page could
// read either; the shell's Content-Security-Policy lets no script run but the
// host's own modules, and the app never builds markup from strings.

const TOKEN_KEY = 'haulgraph.dashboard.token';

export class Session {
  constructor(storage = window.sessionStorage, now = () => Date.now()) {
    this.storage = storage;
    this.now = now;
  }

  get token() {
    const saved = this.read();
    if (!saved) return null;
    if (saved.expiresAt && Date.parse(saved.expiresAt) <= this.now()) {
      this.clear();
      return null;
    }
    return saved.token;
  }

  get isSignedIn() {
    return this.token !== null;
  }

  start(token, expiresAt) {
    this.storage.setItem(TOKEN_KEY, JSON.stringify({ token, expiresAt }));
  }

  clear() {
    this.storage.removeItem(TOKEN_KEY);
  }

  read() {
    try {
      return JSON.parse(this.storage.getItem(TOKEN_KEY) ?? 'null');
    } catch {
      return null;
    }
  }
}

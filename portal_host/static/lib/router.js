// Pages by path, with the History API: links stay real links (they open in
// a new tab, keyboard users follow them with Enter) and the router takes
// over same-origin clicks.

function compile(path) {
  const names = [];
  const pattern = path.split('/').map((part) => {
    if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(part.slice(1));
    return '([^/]+)';
  }).join('/');
  return { regex: new RegExp(`^${pattern}/?$`), names };
}

export class Router {
  /** routes: [{ path: '/estimates/:id', ... }]; onRoute({ route, params, url }). */
  constructor(routes, onRoute) {
    this.routes = routes.map((route) => ({ route, ...compile(route.path) }));
    this.onRoute = onRoute;
  }

  match(pathname) {
    for (const { route, regex, names } of this.routes) {
      const found = regex.exec(pathname);
      if (found) {
        const params = Object.fromEntries(names.map((name, index) =>
          [name, decodeURIComponent(found[index + 1])]));
        return { route, params };
      }
    }
    return null;
  }

  start() {
    window.addEventListener('popstate', () => this.render());
    document.addEventListener('click', (event) => this.follow(event));
    return this.render();
  }

  navigate(path, { replace = false } = {}) {
    if (replace) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    return this.render();
  }

  follow(event) {
    const link = event.target.closest?.('a[href]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/static/')) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }

  render() {
    const url = new URL(window.location.href);
    return this.onRoute({ ...(this.match(url.pathname) ?? { route: null, params: {} }), url });
  }
}

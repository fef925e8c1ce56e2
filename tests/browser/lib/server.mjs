// Global setup of the browser suite: build the demo site and the hostile
// fixture with the release binary, and serve both with Debian's nginx the
// way a government deployment would (see README.md, "Deploying behind nginx").
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BROWSER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(BROWSER_DIR, '../..');
export const HOSTILE_ROOT = join(BROWSER_DIR, 'fixtures/hostile');
// Cargo's own target folder: $CARGO_TARGET_DIR when set (relative to the
// repository, as cargo reads it there), else target/.
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(REPO, process.env.CARGO_TARGET_DIR) : join(REPO, 'target');
export const BINARY = process.env.GONGSHI_BIN ? resolve(process.env.GONGSHI_BIN) : join(TARGET, 'release/gongshi');

// The build date decides statuses (现行有效 / 已失效): pin it so every run
// renders the same site. 2026-11-16 00:00 UTC.
export const SOURCE_DATE_EPOCH = '1794787200';

// The security headers a government deployment sends. README.md documents
// the same lines; tests/headers.test.mjs checks them on the wire.
export const CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; " +
  "form-action 'self'; frame-ancestors 'none'";
export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** The add_header lines, as README.md shows them (a test keeps both equal). */
export const HEADERS_SNIPPET = [
  ['Content-Security-Policy', SECURITY_HEADERS['content-security-policy']],
  ['X-Content-Type-Options', SECURITY_HEADERS['x-content-type-options']],
  ['Referrer-Policy', SECURITY_HEADERS['referrer-policy']],
  ['X-Frame-Options', SECURITY_HEADERS['x-frame-options']],
  ['Permissions-Policy', SECURITY_HEADERS['permissions-policy']],
  ['Cache-Control', '$gongshi_cache'],
]
  .map(([k, v]) => `add_header ${k} ${/[\s;']/.test(v) ? `"${v}"` : v} always;\n`)
  .join('');

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

function findNginx() {
  for (const p of NGINX_CANDIDATES) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  throw new Error('nginx not found: apt-get install nginx');
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** Newest modification time under a folder (files only). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBinary() {
  if (existsSync(BINARY)) {
    // The demo site and the hostile fixture are built with the working
    // tree's theme, but the Rust code is whatever the binary was built from.
    const src = Math.max(newest(join(REPO, 'src')), statSync(join(REPO, 'Cargo.lock')).mtimeMs);
    if (src > statSync(BINARY).mtimeMs) {
      process.stderr.write(`browser tests: warning: ${BINARY} is older than src/; run cargo build --release to test the current code\n`);
    }
    return BINARY;
  }
  if (process.env.GONGSHI_BIN) throw new Error(`GONGSHI_BIN=${process.env.GONGSHI_BIN} does not exist`);
  process.stderr.write(`browser tests: building ${BINARY} (cargo build --release)\n`);
  run('cargo', ['build', '--release', '--locked', '--bin', 'gongshi'], { cwd: REPO, stdio: 'inherit' });
  return BINARY;
}

function buildSite(root, out, baseUrl) {
  run(BINARY, ['build', '--root', root, '--output', out, '--base-url', baseUrl], {
    env: { ...process.env, SOURCE_DATE_EPOCH },
  });
}

function nginxConf(tmp, port) {
  // The same layout as README.md's "Deploying behind nginx": the headers in
  // a snippet, included wherever a block has add_header lines of its own.
  const snippet = join(tmp, 'gongshi-headers.conf');
  writeFileSync(snippet, HEADERS_SNIPPET);
  // One server, two sites: the demo under /zhifa/, the hostile fixture under
  // /hostile/. Both are built with their own base URL.
  const site = (name) => `
    location /${name}/ {
        alias ${tmp}/${name}/;
        error_page 404 /${name}/404.html;
        include ${snippet};
        # Feeds are .xml files: serve them as Atom, not text/xml.
        location ~ /atom\\.xml$ {
            types { }
            default_type application/atom+xml;
            include ${snippet};
        }
    }`;
  return `# Written by tests/browser/lib/server.mjs for one test run.
worker_processes 1;
daemon off;
pid ${tmp}/nginx.pid;
error_log ${tmp}/logs/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css text/plain text/xml application/javascript application/xml application/atom+xml image/svg+xml;
    sendfile on;
    server_tokens off;
    access_log ${tmp}/logs/access.log;
    client_body_temp_path ${tmp}/nginx-tmp/body;
    proxy_temp_path ${tmp}/nginx-tmp/proxy;
    fastcgi_temp_path ${tmp}/nginx-tmp/fastcgi;
    uwsgi_temp_path ${tmp}/nginx-tmp/uwsgi;
    scgi_temp_path ${tmp}/nginx-tmp/scgi;
    gzip on;
    gzip_vary on;
    gzip_static on;
    gzip_min_length 256;
    gzip_types text/css application/javascript application/xml application/atom+xml image/svg+xml text/plain text/xml;

    # Stylesheets and scripts are linked with a content hash (?v=…): cache
    # them for a year. Everything else (HTML, feeds) is revalidated soon.
    map "$arg_v:$uri" $gongshi_cache {
        "~^[0-9a-f]+:.*\\.(css|js)$" "public, max-age=31536000, immutable";
        default "public, max-age=300";
    }

    server {
        listen 127.0.0.1:${port};
        server_name localhost;
        absolute_redirect off;
        location / { return 404; }
${site('zhifa')}
${site('hostile')}
    }
}
`;
}

async function waitForHttp(url, child, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      return;
    } catch (e) {
      lastErr = e;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
  throw new Error(`nginx did not answer ${url}: ${lastErr}`);
}

/**
 * Build both sites into a fresh temporary folder and start nginx on a free
 * loopback port. Returns {origin, base, hostile, tmp, stop}. stop() is
 * idempotent and also runs on process exit.
 */
export async function startServer() {
  ensureBinary();
  const nginx = findNginx();
  const tmp = mkdtempSync(join(tmpdir(), 'gongshi-browser-'));
  // nginx workers run as an unprivileged user when started as root.
  chmodSync(tmp, 0o755);
  for (const d of ['logs', 'nginx-tmp']) mkdirSync(join(tmp, d));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  try {
    buildSite(REPO, join(tmp, 'zhifa'), `${origin}/zhifa/`);
    // The demo site lives at the repository root, so its build uses the
    // working tree's themes/default/ (a site-level theme folder wins over the
    // copy embedded in the binary). Give the hostile fixture the same theme.
    const hostileSrc = join(tmp, 'hostile-src');
    cpSync(HOSTILE_ROOT, hostileSrc, { recursive: true });
    cpSync(join(REPO, 'themes/default'), join(hostileSrc, 'themes/default'), { recursive: true });
    buildSite(hostileSrc, join(tmp, 'hostile'), `${origin}/hostile/`);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const conf = join(tmp, 'nginx.conf');
  writeFileSync(conf, nginxConf(tmp, port));
  const child = spawn(nginx, ['-p', tmp, '-e', join(tmp, 'logs/error.log'), '-c', conf], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopSync);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM'); // nginx: fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.GONGSHI_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  };
  // Last resort when the process dies without running stop().
  const stopSync = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', stopSync);
  try {
    await waitForHttp(`${origin}/zhifa/`, child);
  } catch (e) {
    let log = '';
    try { log = readFileSync(join(tmp, 'logs/error.log'), 'utf8'); } catch {}
    await stop();
    throw new Error(`${e.message}\n${log}`);
  }
  return { origin, base: `${origin}/zhifa/`, hostile: `${origin}/hostile/`, tmp, stop };
}

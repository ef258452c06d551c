// Runs the real `hoithi` binary for the browser tests: the demo contest seeded open now on a fresh
// SQLite file in a temporary data dir (or, when the run has a PostgreSQL cluster, HOITHI_TEST_PG_DIR,
// a fresh database of its own), then `hoithi serve` on an ephemeral loopback port, learnt from the
// log line "listening on http://127.0.0.1:PORT". Mirrors tests/support/server_harness.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const binary = process.env.HOITHI_BINARY;

/** A fresh PostgreSQL database for `dataDir` on the test cluster; undefined on SQLite. */
function postgresDatabase(dataDir) {
  const pgDir = process.env.HOITHI_TEST_PG_DIR;
  if (!pgDir) return undefined;
  const base = readFileSync(join(pgDir, 'url'), 'utf8').trim();
  const bindir = readFileSync(join(pgDir, 'bindir'), 'utf8').trim();
  const name = `e2e_${basename(dataDir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}`;
  const made = spawnSync(join(bindir, 'createdb'), [`--maintenance-db=${base}/postgres`, name], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`createdb failed: ${made.stderr}`);
  return `${base}/${name}`;
}

function environment(dataDir, extra) {
  const env = { ...process.env };
  // Each browser test has a database of its own, never a shared one.
  delete env.HOITHI_DATABASE_URL;
  const url = postgresDatabase(dataDir);
  if (url) env.HOITHI_DATABASE_URL = url;
  return {
    ...env,
    HOITHI_STORAGE_DATA_DIR: dataDir,
    HOITHI_SERVER_BIND: '127.0.0.1',
    HOITHI_SERVER_PORT: '0',
    HOITHI_SERVER_THREADS: '2',
    // A cheaper password hash than production, as in the C++ tests.
    HOITHI_AUTH_PASSWORD_OPS: '1',
    HOITHI_AUTH_PASSWORD_MEMORY_KIB: '8192',
    HOITHI_TESTING_WEAK_PASSWORD_HASHING: 'true',
    ...extra,
  };
}

export class Server {
  /**
   * Seeds the demo contest (open now; `seed: false` starts from an empty database) and starts the
   * server; resolves once it listens.
   */
  static async start(extraEnv = {}, { seed = true } = {}) {
    if (!binary) throw new Error('HOITHI_BINARY is not set (run the browser tests through CTest)');
    const dataDir = mkdtempSync(join(tmpdir(), 'hoithi-e2e-'));
    const env = environment(dataDir, extraEnv);
    if (seed) {
      const seeded = spawnSync(binary, ['seed-demo', '--open-now'], { env, encoding: 'utf8' });
      if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}${seeded.stdout}`);
    }
    const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        log += chunk;
        const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
    });
    const server = new Server();
    Object.assign(server, { child, dataDir, env, url, log: () => log });
    return server;
  }

  /** Runs `hoithi args...` on this server's database, with `input` on its standard input. */
  cli(args, input = '') {
    return spawnSync(binary, args, { env: this.env, input, encoding: 'utf8' });
  }

  /** Stops the server with SIGTERM and removes its data; resolves with the exit code. */
  async stop() {
    const code = await new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.on('exit', (c) => resolve(c));
      this.child.kill('SIGTERM');
    });
    rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }
}

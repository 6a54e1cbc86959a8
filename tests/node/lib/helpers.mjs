// Shared helpers of the Node tests: the real tertulia-server process on 127.0.0.1:0 with a fresh data
// directory, accounts through the HTTP API, and the official socket.io-client.
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

export const SERVER = process.env.TERTULIA_SERVER;
export const NATIVE_PEER = process.env.TERTULIA_NATIVE_PEER;
export const FIXTURE = process.env.TERTULIA_FIXTURE;
/// Rate limits high enough for tests that stream messages (the defaults are for people).
// Every account of a suite signs up and in from 127.0.0.1: the per-address budget of the account API
// (http_auth_*, 20 then 2/s by default) would otherwise stop a suite that meets many people.
export const FAST_LIMITS = { limits: { rate_burst: 1000, rate_per_second: 1000, user_rate_burst: 2000, user_rate_per_second: 2000,
                                       http_auth_burst: 1000, http_auth_per_second: 1000 } };
if (!SERVER) throw new Error("TERTULIA_SERVER must name the tertulia-server binary (run.sh sets it)");

/// Starts a program that prints its URL as the first stdout line; resolves with that URL.
function startProgram(binary, args, label, env = {}) {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let log = "";
  child.stderr.on("data", (chunk) => { log = (log + chunk).slice(-20000); });
  const lines = createInterface({ input: child.stdout });
  const url = new Promise((resolve, reject) => {
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`${label} exited with ${code} before listening:\n${log}`)));
  });
  return { child, url, log: () => log };
}

/// tertulia-server on 127.0.0.1:0 (or a given port) with its own data directory; `env` adds to its environment.
export async function startServer({ args = [], config, dataDir, port = 0, env = {} } = {}) {
  const dir = dataDir || mkdtempSync(path.join(tmpdir(), "tertulia-node-"));
  const all = ["--listen", `127.0.0.1:${port}`, "--data-dir", dir, ...args];
  if (config) {
    const file = path.join(dir, "config.json");
    writeFileSync(file, JSON.stringify(config));
    all.push("--config", file);
  }
  const program = startProgram(SERVER, all, "tertulia-server", env);
  const url = await program.url;
  const server = {
    url,
    port: Number(new URL(url).port),
    dataDir: dir,
    log: program.log,
    async stop() {
      if (program.child.exitCode !== null) return;
      const exited = new Promise((resolve) => program.child.once("exit", resolve));
      program.child.kill("SIGTERM");
      await exited;
    },
    /// Stops and starts again on the same port and data directory (a server restart).
    async restart() {
      await server.stop();
      const again = await startServer({ args, config, dataDir: dir, port: server.port, env });
      Object.assign(server, { ...again, restart: server.restart, cleanup: server.cleanup });
      return server;
    },
    async cleanup() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

export async function startFixture() {
  const program = startProgram(FIXTURE, ["--port", "0"], "tertulia-socketio-fixture");
  const url = new URL(await program.url).toString(); // with the trailing slash namespaces append to
  return { url, stop: () => program.child.kill("SIGTERM") };
}

export async function post(url, pathname, body, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(pathname, url), { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json().catch(() => ({})) };
}

/// Registers (if needed) and signs in; returns {user, access_token, refresh_token}.
export async function account(url, user, password = "password123") {
  const registered = await post(url, "/api/v1/register", { username: user, password });
  if (registered.status !== 201 && registered.status !== 409)
    throw new Error(`register ${user}: ${registered.status} ${JSON.stringify(registered.json)}`);
  const login = await post(url, "/api/v1/login", { username: user, password });
  if (login.status !== 200) throw new Error(`login ${user}: ${login.status}`);
  return { user, ...login.json };
}

/// An access token that expired ten minutes ago, signed with the server's own secret (HS256).
export function expiredToken(dataDir, user) {
  const secret = Buffer.from(readFileSync(path.join(dataDir, "secret.key"), "utf8").trim(), "hex");
  const now = Math.floor(Date.now() / 1000);
  const encode = (object) => Buffer.from(JSON.stringify(object)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const claims = encode({ iss: "tertulia", aud: "tertulia", sub: user, iat: now - 3600, exp: now - 600,
                          jti: randomUUID(), sid: randomUUID(), typ: "access" });
  const signature = createHmac("sha256", secret).update(`${header}.${claims}`).digest("base64url");
  return `${header}.${claims}.${signature}`;
}

const sockets = new Set();

/// A socket.io-client socket with quick reconnects; disconnectAll() ends every one of them.
export function client(url, options = {}) {
  const socket = io(url, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, ...options });
  sockets.add(socket);
  return socket;
}

/// Disconnects every socket client() made (a failed test must not leave one reconnecting forever).
export function disconnectAll() {
  for (const socket of sockets) socket.disconnect();
  sockets.clear();
}

export function waitFor(emitter, event, { timeout = 10000, filter } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`no '${event}' within ${timeout} ms`));
    }, timeout);
    const handler = (...args) => {
      if (filter && !filter(...args)) return;
      clearTimeout(timer);
      emitter.off(event, handler);
      resolve(args.length <= 1 ? args[0] : args);
    };
    emitter.on(event, handler);
  });
}

/// Resolves when the socket is connected (rejects with the connect_error).
export function connected(socket, timeout = 10000) {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not connected in time")), timeout);
    socket.once("connect", () => { clearTimeout(timer); resolve(socket); });
    socket.once("connect_error", (error) => { clearTimeout(timer); reject(error); });
  });
}

/// A chat request: resolves with the reply's data, rejects with {code, message} on an error reply.
export async function request(socket, type, data = {}) {
  const reply = await socket.timeout(10000).emitWithAck(type, data);
  if (reply.type !== "ok") {
    const error = new Error(`${type}: ${reply.error.code}: ${reply.error.message}`);
    error.code = reply.error.code;
    throw error;
  }
  return reply.data;
}

/// Polls until the predicate holds (event-driven tests with a deadline, no fixed sleeps).
export async function until(predicate, { timeout = 10000, what = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/// The desktop-protocol peer (tertulia-native-peer): commands in, server frames out.
export async function nativePeer(server, token) {
  const wsUrl = server.url.replace(/^http/, "ws").replace(/\/$/, "") + "/ws";
  const child = spawn(NATIVE_PEER, ["--url", wsUrl, "--token", token], { stdio: ["pipe", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => { log += chunk; });
  const frames = [];
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => frames.push(JSON.parse(line)));
  const peer = {
    frames,
    command: (object) => child.stdin.write(JSON.stringify(object) + "\n"),
    messages: (room) => frames.filter((f) => f.type === "message" && f.data.room === room).map((f) => f.data),
    replies: () => frames.filter((f) => f.type === "ok" || f.type === "error"),
    async quit() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      peer.command({ cmd: "quit" });
      child.stdin.end();
      await exited;
    },
    log: () => log,
  };
  await until(() => frames.some((f) => f.peer === "ready"), { what: "native peer hello" });
  return peer;
}

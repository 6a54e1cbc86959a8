// The official socket.io-client 4.8 against the real tertulia-server: transports, authentication and
// every refusal, namespaces, the chat as events with acks, server events, limits.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  account, client, connected, disconnectAll, expiredToken, post, request, startServer, until, waitFor,
} from "../lib/helpers.mjs";

describe("Socket.IO on tertulia-server", () => {
  let server;
  let alice;
  let bob;
  const open = (options) => client(server.url, options);

  before(async () => {
    server = await startServer();
    alice = await account(server.url, "alice");
    bob = await account(server.url, "bob");
  });
  after(async () => {
    disconnectAll();
    await server.cleanup();
  });

  it("connects over WebSocket only", async () => {
    const socket = open({ transports: ["websocket"], auth: { token: alice.access_token } });
    const helloEvent = waitFor(socket, "hello"); // sent right after the CONNECT reply
    await connected(socket);
    assert.equal(socket.io.engine.transport.name, "websocket");
    const hello = await helloEvent;
    assert.equal(hello.user, "alice");
    assert.ok((await request(socket, "ping")).ts > 0);
    socket.disconnect();
  });

  it("starts with long-polling and upgrades to WebSocket", async () => {
    const socket = open({ auth: { token: alice.access_token } });
    // The engine exists as soon as the client does; on loopback the upgrade may beat the CONNECT reply.
    const engine = socket.io.engine;
    assert.equal(engine.transport.name, "polling");
    const upgraded = waitFor(engine, "upgrade");
    await connected(socket);
    await upgraded;
    assert.equal(engine.transport.name, "websocket");
    assert.ok((await request(socket, "list_rooms")).rooms);
    socket.disconnect();
  });

  it("works over long-polling alone", async () => {
    const socket = await connected(open({ transports: ["polling"], auth: { token: alice.access_token } }));
    await request(socket, "create_room", { name: "poll-room" });
    const delivered = waitFor(socket, "message", { filter: (m) => m.client_msg_id === "p1" });
    const sent = await request(socket, "send", { room: "poll-room", text: "over polling", client_msg_id: "p1" });
    const [message, offset] = await delivered;
    assert.equal(message.seq, sent.seq);
    assert.equal(message.text, "over polling");
    assert.equal(typeof offset, "string"); // the recovery offset rides along as the last argument
    assert.equal(socket.io.engine.transport.name, "polling");
    socket.disconnect();
  });

  for (const [name, makeAuth, code] of [
    ["a missing token", () => ({}), "not_authenticated"],
    ["a malformed token", () => ({ token: "not-a-token" }), "auth_failed"],
    ["an expired token", () => ({ token: expiredToken(server.dataDir, "alice") }), "token_expired"],
    ["a refresh token used as access token", () => ({ token: alice.refresh_token }), "auth_failed"],
  ]) {
    it(`refuses ${name} with CONNECT_ERROR`, async () => {
      const socket = open({ auth: makeAuth() });
      const error = await waitFor(socket, "connect_error");
      assert.ok(error.message.length > 0);
      assert.equal(error.data.code, code);
      assert.equal(socket.active, false); // a refusal: the client does not retry by itself
    });
  }

  it("refuses a revoked token, and ends the connections of a revoked login", async () => {
    const carol = await account(server.url, "carol");
    const socket = await connected(open({ transports: ["websocket"], auth: { token: carol.access_token } }));
    const closing = waitFor(socket, "closing");
    const gone = waitFor(socket, "disconnect");
    assert.equal((await post(server.url, "/api/v1/logout", {}, carol.access_token)).status, 200);
    const notice = await closing;
    assert.equal(notice.code, 4004);
    assert.equal(notice.reconnect, false);
    assert.equal([].concat(await gone)[0], "io server disconnect");
    const again = open({ auth: { token: carol.access_token } });
    const error = await waitFor(again, "connect_error");
    assert.equal(error.data.code, "auth_failed");
  });

  it("authenticates every reconnect again", async () => {
    let calls = 0;
    const socket = open({ transports: ["websocket"], auth: (cb) => { calls += 1; cb({ token: alice.access_token }); } });
    await connected(socket);
    assert.equal(calls, 1);
    socket.io.engine.close(); // the transport drops; the client reconnects by itself
    await waitFor(socket, "connect");
    assert.equal(calls, 2);
    socket.disconnect();
  });

  it("refuses an unknown namespace", async () => {
    const socket = client(server.url + "admin", { auth: { token: alice.access_token } });
    const error = await waitFor(socket, "connect_error");
    assert.equal(error.message, "Invalid namespace");
  });

  it("refuses browsers from other origins", async () => {
    const refusals = async () => Number(/^tertulia_connections_refused_total\{reason="origin"\} (\d+)/m
      .exec(await (await fetch(new URL("/metrics", server.url))).text())[1]);
    const before = await refusals();
    for (const transports of [["polling"], ["websocket"]]) {
      const socket = open({ transports, auth: { token: alice.access_token }, reconnection: false,
                            extraHeaders: { origin: "http://evil.example" } });
      const error = await waitFor(socket, "connect_error");
      assert.ok(error, `refused over ${transports}`);
      assert.equal(socket.connected, false);
    }
    assert.equal(await refusals(), before + 2);
  });

  it("serves the chat as events with acks", async () => {
    const socket = await connected(open({ auth: { token: alice.access_token } }));
    const created = await request(socket, "create_room", { name: "kitchen" });
    assert.equal(created.room.name, "kitchen");
    assert.equal(created.room.joined, true);
    const first = await request(socket, "send", { room: "kitchen", text: "¡hola!", client_msg_id: "k1" });
    assert.equal(first.seq, 1);
    assert.equal(first.duplicate, false);
    // The same client message id again: the original seq, nothing stored twice.
    const retry = await request(socket, "send", { room: "kitchen", text: "¡hola!", client_msg_id: "k1" });
    assert.deepEqual([retry.seq, retry.duplicate], [1, true]);
    const page = await request(socket, "history", { room: "kitchen", limit: 10 });
    assert.deepEqual(page.messages.map((m) => m.text), ["¡hola!"]);
    const members = await request(socket, "members", { room: "kitchen" });
    assert.deepEqual(members.members.map((m) => m.user), ["alice"]);
    await request(socket, "typing", { room: "kitchen", active: true });
    await request(socket, "presence", { status: "away" });
    const rooms = await request(socket, "list_rooms");
    assert.ok(rooms.rooms.some((r) => r.name === "kitchen"));
    await request(socket, "leave", { room: "kitchen" });

    await assert.rejects(request(socket, "join", { room: "no-such-room" }), { code: "not_found" });
    await assert.rejects(request(socket, "send", { room: "kitchen", text: 5, client_msg_id: "x" }), { code: "bad_request" });
    await assert.rejects(request(socket, "teleport", {}), { code: "unknown_type" });
    // Binary arguments travel (as attachments) but the chat API takes JSON only.
    await assert.rejects(request(socket, "send", Buffer.from([1, 2, 3])), { code: "bad_request" });
    // An emit without an ack callback that fails comes back as an `error` event.
    const error = waitFor(socket, "error");
    socket.emit("join", { room: "no-such-room" });
    assert.equal((await error).code, "not_found");
    socket.disconnect();
  });

  it("pushes messages, joins, leaves, typing and presence as events", async () => {
    const a = await connected(open({ auth: { token: alice.access_token } }));
    const b = await connected(open({ transports: ["websocket"], auth: { token: bob.access_token } }));
    await request(a, "create_room", { name: "events" });
    const joined = waitFor(a, "member_joined", { filter: (e) => e.room === "events" });
    await request(b, "join", { room: "events" });
    assert.equal((await joined).user, "bob");
    const typing = waitFor(a, "typing", { filter: (e) => e.room === "events" });
    await request(b, "typing", { room: "events", active: true });
    assert.deepEqual(await typing, { room: "events", user: "bob", active: true });
    const presence = waitFor(a, "presence", { filter: (e) => e.user === "bob" });
    await request(b, "presence", { status: "away" });
    assert.equal((await presence).status, "away");
    const message = waitFor(a, "message", { filter: (m) => m.room === "events" });
    await request(b, "send", { room: "events", text: "hi alice", client_msg_id: "e1" });
    assert.equal((await message)[0].sender, "bob");
    const left = waitFor(a, "member_left", { filter: (e) => e.room === "events" });
    await request(b, "leave", { room: "events" });
    assert.equal((await left).user, "bob");
    a.disconnect();
    b.disconnect();
  });

  it("applies the server's limits to Socket.IO requests", async () => {
    const socket = await connected(open({ auth: { token: alice.access_token } }));
    await request(socket, "create_room", { name: "limits" });
    await assert.rejects(
      request(socket, "send", { room: "limits", text: "x".repeat(16 * 1024 + 1), client_msg_id: "big" }),
      { code: "too_large" });
    // The per-connection token bucket (burst 30, then 10/s by default) answers rate_limited.
    const replies = await Promise.all(Array.from({ length: 40 }, () => socket.timeout(10000).emitWithAck("ping", {})));
    assert.ok(replies.some((r) => r.type === "error" && r.error.code === "rate_limited"));
    socket.disconnect();
  });

  it("counts Socket.IO sessions in /metrics", async () => {
    const socket = open({ transports: ["websocket"], auth: { token: bob.access_token } });
    await connected(socket);
    const metrics = await (await fetch(new URL("/metrics", server.url))).text();
    const active = Number(/^tertulia_connections_active (\d+)/m.exec(metrics)[1]);
    assert.ok(active >= 1, metrics);
    socket.disconnect();
  });
});

describe("Socket.IO on tertulia-server: shutdown", () => {
  after(() => disconnectAll());

  for (const transport of ["polling", "websocket"]) {
    it(`tells a ${transport} client why its connection ends on SIGTERM`, async () => {
      // The Engine.IO requests in the server's log tell when the next poll is waiting there.
      const server = await startServer({ env: { QT_LOGGING_RULES: "tertulia.socketio.engine.debug=true" } });
      try {
        const carol = await account(server.url, "carol");
        const socket = await connected(client(server.url, { transports: [transport], auth: { token: carol.access_token } }));
        assert.equal(socket.io.engine.transport.name, transport);
        const polls = () => server.log().split(`&sid=${socket.io.engine.id}`).length - 1;
        await request(socket, "ping");
        if (transport === "polling") {
          // SIGTERM must find the poll that follows the ack waiting at the server: a poll still in flight when
          // the server exits cannot be answered (the client reconnects all the same).
          const before = polls();
          await until(() => polls() > before, { what: "the next poll at the server" });
        }
        const closing = waitFor(socket, "closing");
        const gone = waitFor(socket, "disconnect");
        await server.stop();
        const notice = await closing;
        assert.equal(notice.code, 1001);
        assert.equal(notice.reconnect, true);
        // Either way the client would reconnect by itself. Over polling, the close packet is due with the next
        // poll, which finds the server gone.
        assert.equal([].concat(await gone)[0], transport === "polling" ? "transport error" : "transport close");
      } finally {
        disconnectAll();
        await server.cleanup();
      }
    });
  }
});

// Connection state recovery with the official client: the transport is cut while messages keep
// coming; the client reconnects by itself, `socket.recovered` is true, and it holds every message
// exactly once, in order, with the profiles of their senders ahead of them. After a server restart the
// state is gone: recovered is false and history fills the gap.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FAST_LIMITS, account, client, connected, request, startServer, until, waitFor, disconnectAll } from "../lib/helpers.mjs";

describe("connection state recovery", () => {
  let server;
  let sender;
  let receiver;

  before(async () => {
    server = await startServer({ config: FAST_LIMITS });
    sender = await account(server.url, "sender");
    receiver = await account(server.url, "receiver");
  });
  after(async () => {
    disconnectAll();
    await server.cleanup();
  });

  for (const transports of [["websocket"], ["polling"], ["polling", "websocket"]]) {
    it(`recovers after a forced transport close (${transports.join(" then ")})`, async () => {
      const room = `recover-${transports.join("-")}`;
      const writer = await connected(client(server.url, { transports: ["websocket"], auth: { token: sender.access_token } }));
      await request(writer, "create_room", { name: room });
      const reader = await connected(client(server.url, { transports, auth: { token: receiver.access_token } }));
      await request(reader, "join", { room });
      const seen = [];
      const offsets = [];
      reader.on("message", (message, offset) => {
        if (message.room !== room) return;
        seen.push(message.seq);
        offsets.push(Number(offset));
      });
      const reconnects = [];
      reader.on("connect", () => reconnects.push(reader.recovered));

      const total = 60;
      const sending = (async () => {
        for (let i = 1; i <= total; ++i) {
          await request(writer, "send", { room, text: `m${i}`, client_msg_id: `${room}-${i}` });
          if (i === 20) {
            // Cut the reader's transport mid-stream; messages 21.. arrive while it is away.
            reader.io.engine.close();
          }
        }
      })();
      await sending;
      await until(() => seen.length >= total && reader.connected, { timeout: 20000, what: "all messages" });
      assert.deepEqual(reconnects, [true], "one reconnect, and it recovered the state");
      assert.deepEqual(seen, Array.from({ length: total }, (_, i) => i + 1), "every message once, in order");
      for (let i = 1; i < offsets.length; ++i) assert.ok(offsets[i] > offsets[i - 1], "offsets increase");
      writer.disconnect();
      reader.disconnect();
    });
  }

  it("sends the profiles of the recovered messages' senders ahead of them (issue 12)", async () => {
    const room = "recover-profiles";
    const writer = await connected(client(server.url, { transports: ["websocket"], auth: { token: sender.access_token } }));
    await request(writer, "create_room", { name: room });
    // No automatic reconnect: the reader comes back only once the gap holds a rename and a message.
    const reader = await connected(client(server.url, { transports: ["websocket"], reconnection: false,
                                                        auth: { token: receiver.access_token } }));
    await request(reader, "join", { room });
    const heard = [];
    reader.on("profile_updated", (event) => heard.push({ profile: event.user, name: event.display_name }));
    reader.on("message", (message) => { if (message.room === room) heard.push({ seq: message.seq }); });
    await request(writer, "send", { room, text: "before", client_msg_id: "p1" });
    await until(() => heard.some((e) => e.seq === 1), { what: "the first message" });

    const gone = waitFor(reader, "disconnect");
    reader.io.engine.close();
    await gone;
    heard.length = 0;
    await request(writer, "set_profile", { display_name: "Remitente Nuevo" });  // the reader hears nothing of it
    await request(writer, "send", { room, text: "after", client_msg_id: "p2" });
    const back = waitFor(reader, "connect");
    reader.connect();
    await back;
    assert.equal(reader.recovered, true);
    await until(() => heard.some((e) => e.seq === 2), { what: "the recovered message" });
    assert.deepEqual(heard, [{ profile: "sender", name: "Remitente Nuevo" }, { seq: 2 }]);
    await request(writer, "set_profile", { display_name: null });
    writer.disconnect();
    reader.disconnect();
  });

  it("says recovered=false after a server restart, and history fills the gap", async () => {
    const room = "restart";
    const writer = await connected(client(server.url, { transports: ["websocket"], auth: { token: sender.access_token } }));
    await request(writer, "create_room", { name: room });
    const reader = await connected(client(server.url, { transports: ["websocket"], auth: { token: receiver.access_token } }));
    await request(reader, "join", { room });
    // Listen first: the event may arrive before the sender's ack.
    const delivered = waitFor(reader, "message", { filter: (m) => m.room === room });
    await request(writer, "send", { room, text: "before", client_msg_id: "r1" });
    await delivered;
    writer.disconnect();

    const reconnected = waitFor(reader, "connect", { timeout: 20000 });
    await server.restart();
    // The restarted server holds no recovery state: the client learns it must resync.
    await reconnected;
    assert.equal(reader.recovered, false);
    const again = await connected(client(server.url, { transports: ["websocket"], auth: { token: sender.access_token } }));
    await request(again, "send", { room, text: "after", client_msg_id: "r2" });
    const page = await request(reader, "history", { room, after: 0 });
    assert.deepEqual(page.messages.map((m) => m.text), ["before", "after"]);
    again.disconnect();
    reader.disconnect();
  });
});

// A Socket.IO client and a desktop-protocol (Qt) client in one room see each other's messages in the
// same order, with the same sequence numbers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FAST_LIMITS, account, client, connected, nativePeer, request, startServer, until, waitFor, disconnectAll } from "../lib/helpers.mjs";

describe("mixed room: socket.io-client and the desktop protocol", () => {
  let server;
  before(async () => { server = await startServer({ config: FAST_LIMITS }); });
  after(async () => {
    disconnectAll();
    await server.cleanup();
  });

  it("delivers every message to both, in one order", async () => {
    const guest = await account(server.url, "guest");
    const desk = await account(server.url, "desk");
    const socket = await connected(client(server.url, { auth: { token: guest.access_token } }));
    await request(socket, "create_room", { name: "mixed" });
    const peer = await nativePeer(server, desk.access_token);
    const joined = waitFor(socket, "member_joined", { filter: (e) => e.user === "desk" });
    peer.command({ cmd: "join", room: "mixed" });
    await joined;

    const received = [];
    socket.on("message", (message) => { if (message.room === "mixed") received.push(message); });
    const rounds = 10;
    for (let i = 0; i < rounds; ++i) {
      // Both write at once: the server's sequence decides the one order everybody sees.
      peer.command({ cmd: "send", room: "mixed", text: `desk ${i}`, client_msg_id: `d${i}` });
      await request(socket, "send", { room: "mixed", text: `guest ${i}`, client_msg_id: `g${i}` });
    }
    await until(() => received.length === 2 * rounds && peer.messages("mixed").length === 2 * rounds,
                { what: "both sides to receive everything" });
    const bySocket = received.map((m) => [m.seq, m.sender, m.text]);
    const byDesktop = peer.messages("mixed").map((m) => [m.seq, m.sender, m.text]);
    assert.deepEqual(byDesktop, bySocket);
    assert.deepEqual(bySocket.map(([seq]) => seq), Array.from({ length: 2 * rounds }, (_, i) => i + 1));
    assert.equal(new Set(bySocket.map(([, , text]) => text)).size, 2 * rounds);
    socket.disconnect();
    await peer.quit();
  });
});

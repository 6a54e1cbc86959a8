// The generic Socket.IO layer with the official client, through the conformance fixture: binary
// attachments (raw over WebSocket, base64 over polling), acks with arguments, custom namespaces.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FIXTURE, client, connected, startFixture, waitFor, disconnectAll } from "../lib/helpers.mjs";

describe("conformance fixture with socket.io-client", { skip: !FIXTURE && "TERTULIA_FIXTURE not set" }, () => {
  let fixture;
  before(async () => { fixture = await startFixture(); });
  after(() => {
    disconnectAll();
    fixture.stop();
  });

  for (const transports of [["websocket"], ["polling"]]) {
    it(`echoes events and acks with binary attachments (${transports[0]})`, async () => {
      const socket = client(fixture.url, { transports, auth: { token: "t" } });
      const auth = waitFor(socket, "auth");
      await connected(socket);
      assert.deepEqual(await auth, { token: "t" });
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      const back = waitFor(socket, "message-back");
      socket.emit("message", 1, "two", { three: [true] }, bytes);
      const [one, two, three, four] = await back;
      assert.deepEqual([one, two, three], [1, "two", { three: [true] }]);
      assert.deepEqual(Buffer.from(four), bytes);
      const acked = await socket.timeout(5000).emitWithAck("message-with-ack", { nested: bytes }, "x");
      assert.deepEqual(Buffer.from(acked.nested), bytes);
      socket.disconnect();
    });
  }

  it("connects to a custom namespace and refuses an unknown one", async () => {
    const custom = client(fixture.url + "custom", { auth: { a: 1 } });
    const auth = waitFor(custom, "auth");
    await connected(custom);
    assert.deepEqual(await auth, { a: 1 });
    custom.disconnect();
    const unknown = client(fixture.url + "nowhere");
    assert.equal((await waitFor(unknown, "connect_error")).message, "Invalid namespace");
    unknown.disconnect();
  });
});

// The guest page in headless Chromium (Debian's chromium through playwright-core): two browser guests
// (English and Spanish) and a desktop-protocol client chat in one room; the page shows its connection
// state and reconnects by itself after a server restart; over http it says the connection is not
// encrypted, and over https with a self-signed certificate (what a hosted chat serves) it explains the
// browser's warning and how to compare the fingerprint, in both languages, and chats over wss://.
// Screenshots go to $TERTULIA_SCREENSHOT_DIR.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { FAST_LIMITS, account, client, connected, disconnectAll, nativePeer, request, startServer, until } from "../lib/helpers.mjs";

const CHROMIUM = process.env.TERTULIA_CHROMIUM || "/usr/bin/chromium";
const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
const SHOTS = process.env.TERTULIA_SCREENSHOT_DIR;
// NOTES.md: what headless Chromium needs in a container (playwright-core adds --headless itself and a
// fresh temporary profile for every launch).
const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"];

/// A PNG of one colour (RGB, 8 bits), made here: the browser must decode it for real.
function png(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
                        chunk("IDAT", deflateSync(Buffer.concat(Array(height).fill(row)))), chunk("IEND", Buffer.alloc(0))]);
}

describe("the guest page in headless Chromium", () => {
  let server;
  let browser;
  const problems = [];

  async function guest(locale, user, url = server.url) {
    const context = await browser.newContext({ locale, viewport: { width: 1024, height: 680 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`${user}: ${error.message}`));
    page.on("console", (message) => { if (message.type() === "error") problems.push(`${user}: ${message.text()}`); });
    await page.goto(url);
    await page.fill("#username", user);
    await page.fill("#password", "password123");
    await page.click("#register");
    await page.waitForSelector("#chat-view:not([hidden])");
    await page.waitForSelector('#connection[data-state="connected"]');
    return page;
  }

  const texts = (page) => page.$$eval("#messages .message[data-seq] .text", (nodes) => nodes.map((n) => n.textContent));
  const waitForMessages = (page, count) =>
    page.waitForFunction((n) => document.querySelectorAll("#messages .message[data-seq]").length >= n, count);

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
    // Messages of #vigilada are always traced: the page reports when it showed them (`displayed`).
    server = await startServer({ args: ["--web-page", "--name", "Casa", "--trace-room", "vigilada"], config: FAST_LIMITS });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it("lets two guests and a desktop client chat in one room", async () => {
    const ana = await guest("en-US", "ana");
    // Plain http: the page says so, in plain words.
    assert.equal(await ana.getAttribute("#security", "data-secure"), "no");
    assert.match(await ana.textContent("#security-text"), /^Unencrypted connection: anyone on this network can read/);
    // The page starts on long-polling and upgrades to WebSocket; its badge says which.
    await ana.waitForSelector("#connection >> text=/^Connected$/");
    assert.equal(await ana.textContent("#server-name"), "Casa");
    await ana.fill("#new-room", "plaza");
    await ana.click("#new-room-form button");
    await ana.waitForSelector("#room-title >> text=# plaza");

    const beto = await guest("es-ES", "beto");
    await beto.waitForSelector("#connection >> text=/^Conectado$/");
    assert.equal(await beto.textContent("#sign-out"), "Salir");
    await beto.click('#rooms button[data-room="plaza"]');
    await beto.waitForSelector("#room-title >> text=# plaza");

    const carmen = await account(server.url, "carmen");
    const desk = await nativePeer(server, carmen.access_token);
    desk.command({ cmd: "join", room: "plaza" });
    await until(() => desk.replies().length >= 1, { what: "the desktop join" });

    await ana.fill("#message-input", "Hello from Ana!");
    await ana.press("#message-input", "Enter");
    await waitForMessages(beto, 1);
    await beto.fill("#message-input", "¡Hola, Ana! <b>not bold</b>");
    await beto.click("#send");
    await waitForMessages(ana, 2);
    desk.command({ cmd: "send", room: "plaza", text: "Hola desde el escritorio", client_msg_id: "desk-1" });
    await waitForMessages(ana, 3);
    await waitForMessages(beto, 3);
    await until(() => desk.messages("plaza").length === 3, { what: "the desktop client's messages" });

    const expected = ["Hello from Ana!", "¡Hola, Ana! <b>not bold</b>", "Hola desde el escritorio"];
    assert.deepEqual(await texts(ana), expected);
    assert.deepEqual(await texts(beto), expected);
    assert.deepEqual(desk.messages("plaza").map((m) => m.text), expected);
    assert.deepEqual(desk.messages("plaza").map((m) => m.seq), [1, 2, 3]);
    assert.equal(await beto.$$eval("#messages b", (nodes) => nodes.length), 0, "user text is never HTML");

    // Typing reaches the other guest, in its language. The server forwards one typing event per user
    // and second, and the page repeats it every 2 s while keys are pressed: keep typing until it shows.
    let shown = false;
    for (let attempt = 0; attempt < 4 && !shown; ++attempt) {
      await beto.type("#message-input", "e");
      shown = await ana.waitForSelector("#typing >> text=beto is typing…", { timeout: 2500 }).then(() => true, () => false);
    }
    assert.ok(shown, "the typing indicator appeared");
    await beto.fill("#message-input", "");

    if (SHOTS) {
      await ana.screenshot({ path: path.join(SHOTS, "guest-page-en.png") });
      await beto.screenshot({ path: path.join(SHOTS, "guest-page-es.png") });
    }
    await desk.quit();
    await ana.context().close();
    await beto.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows edits and deletions, live and after a reload", async () => {
    const elena = await guest("es-ES", "elena");
    const dario = await account(server.url, "dario"); // a Socket.IO client (the page has no editing yet)
    const socket = client(server.url, { auth: { token: dario.access_token } });
    const heard = [];
    socket.on("profile_updated", (event) => heard.push(event));
    await connected(socket);
    await request(socket, "create_room", { name: "patio" });
    await elena.click('#rooms button[data-room="patio"]');
    await elena.waitForSelector("#room-title >> text=# patio");
    const first = await request(socket, "send", { room: "patio", text: "primer borrador", client_msg_id: "d1" });
    await request(socket, "send", { room: "patio", text: "esto sobra", client_msg_id: "d2" });
    await waitForMessages(elena, 2);

    await request(socket, "edit", { room: "patio", seq: first.seq, text: "versión final", client_msg_id: "d1-e" });
    await request(socket, "delete", { room: "patio", seq: 2, client_msg_id: "d2-d" });
    const shown = async () => {
      await elena.waitForFunction(() => document.querySelector('#messages .message[data-seq="2"] .text.deleted') !== null);
      assert.deepEqual(await texts(elena), ["versión final", "Se eliminó este mensaje"]);
      assert.equal(await elena.textContent('#messages .message[data-seq="1"] .edited'), "(editado)");
      assert.equal(await elena.$$eval("#messages .message[data-seq]", (nodes) => nodes.length), 2, "entries are no lines");
    };
    await shown();
    // From history: the page reloads, signs in again and reads the room as it is now.
    await elena.reload();
    await elena.waitForSelector("#chat-view:not([hidden])");
    await elena.click('#rooms button[data-room="patio"]');
    await waitForMessages(elena, 2);
    await shown();
    if (SHOTS) await elena.screenshot({ path: path.join(SHOTS, "guest-page-edits-es.png") });
    disconnectAll();
    await elena.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows a room's title and topic, an archived room read-only, and a deleted room gone", async () => {
    const lola = await guest("en-US", "lola");
    const kike = await account(server.url, "kike"); // the owner, a Socket.IO client (the page has no settings)
    const socket = client(server.url, { auth: { token: kike.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "foro" });
    await request(socket, "update_room", { room: "foro", title: "The forum", topic: "Plans for the weekend" });
    await lola.waitForSelector('#rooms button[data-room="foro"] >> text=The forum');
    await lola.click('#rooms button[data-room="foro"]');
    await lola.waitForSelector("#room-title >> text=The forum");
    assert.equal(await lola.textContent("#room-topic"), "Plans for the weekend");
    assert.equal(await lola.isVisible("#room-archived"), false);
    assert.equal(await lola.isEnabled("#message-input"), true);

    // Archived, live: the composer goes off and says why; unarchived, it comes back.
    await request(socket, "update_room", { room: "foro", archived: true });
    await lola.waitForSelector("#room-archived:not([hidden])");
    assert.equal(await lola.textContent("#room-archived"),
                 "#foro is archived: you can read it, but nobody can write in it.");
    assert.equal(await lola.isDisabled("#message-input"), true);
    assert.equal(await lola.isDisabled("#send"), true);
    assert.equal(await lola.textContent("#room-topic"), "Plans for the weekend", "the topic stays");
    if (SHOTS) await lola.screenshot({ path: path.join(SHOTS, "guest-page-archived.png") });
    await request(socket, "update_room", { room: "foro", archived: false, topic: "" });
    await lola.waitForSelector("#room-archived", { state: "hidden" });
    await lola.waitForSelector("#room-topic", { state: "hidden" });
    assert.equal(await lola.isEnabled("#message-input"), true);

    // Deleted: it leaves the list and the page says who deleted it.
    await request(socket, "delete_room", { room: "foro", keep_history: false });
    await lola.waitForSelector('#rooms button[data-room="foro"]', { state: "detached" });
    await lola.waitForSelector("#toast >> text=kike deleted #foro.");
    assert.equal(await lola.isDisabled("#message-input"), true);
    disconnectAll();
    await lola.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows display names and generated avatars, and lets the guest set one (issue 12)", async () => {
    const nuria = await guest("es-ES", "nuria");
    const omar = await account(server.url, "omar"); // a Socket.IO client in the same room
    const socket = client(server.url, { auth: { token: omar.access_token } });
    const heard = [];
    socket.on("profile_updated", (event) => heard.push(event));
    await connected(socket);
    await request(socket, "create_room", { name: "zaguan" });
    await request(socket, "set_profile", { display_name: "عمر خالد" });
    await request(socket, "send", { room: "zaguan", text: "مرحبا", client_msg_id: "o1" });
    await nuria.waitForSelector('#rooms button[data-room="zaguan"]');
    await nuria.click('#rooms button[data-room="zaguan"]');
    await waitForMessages(nuria, 1);
    // History names the sender; the avatar has their initials on the colour of the user name "omar".
    assert.equal(await nuria.textContent("#messages .message[data-seq] .sender"), "عمر خالد");
    assert.equal(await nuria.getAttribute("#messages .message[data-seq] .sender", "title"),
                 "عمر خالد (nombre de usuario: omar)");
    assert.equal(await nuria.textContent("#messages .message[data-seq] .avatar"), "عخ");
    assert.equal(await nuria.$eval("#messages .message[data-seq] .avatar", (a) => getComputedStyle(a).backgroundColor),
                 "rgb(142, 36, 170)"); // #8e24aa: FNV-1a("omar") % 12 = 2, the same rule tst_identity pins for the app

    // The guest names herself: omar hears profile_updated, her own message shows the name, so does the header.
    await nuria.click("#edit-profile");
    await nuria.fill("#display-name", "  Núria Puig  ");
    await nuria.click('#profile-form button[type="submit"]');
    await nuria.waitForSelector("#whoami >> text=Has entrado como Núria Puig");
    // omar heard his own rename first (every session of the user hears it); then nuria's.
    await until(() => heard.some((e) => e.user === "nuria"), { what: "nuria's profile_updated" });
    assert.deepEqual(heard.find((e) => e.user === "nuria"), { user: "nuria", display_name: "Núria Puig", avatar: null });
    await nuria.fill("#message-input", "hola");
    await nuria.press("#message-input", "Enter");
    await waitForMessages(nuria, 2);
    assert.deepEqual(await nuria.$$eval("#messages .message[data-seq] .sender", (n) => n.map((e) => e.textContent)),
                     ["عمر خالد", "Núria Puig"]);
    assert.equal(await nuria.textContent("#messages .message.own[data-seq] .avatar"), "NP");

    if (SHOTS) await nuria.screenshot({ path: path.join(SHOTS, "guest-page-display-names-es.png") });
    // A rename elsewhere shows at once; a refused name says why.
    await request(socket, "set_profile", { display_name: "Omar" });
    await nuria.waitForSelector("#messages .message[data-seq] .sender >> text=Omar");
    await nuria.click("#edit-profile");
    await nuria.evaluate(() => document.getElementById("display-name").removeAttribute("maxlength"));
    await nuria.fill("#display-name", "x".repeat(65));
    await nuria.click('#profile-form button[type="submit"]');
    await nuria.waitForSelector("#toast >> text=64");
    disconnectAll();
    await nuria.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows avatar pictures in the generated avatars' place, fetched once per version (issue 12)", async () => {
    const pilar = await guest("en-US", "pilar");
    const avatarFetches = [];
    pilar.on("request", (r) => { if (r.url().includes("/api/v1/avatars/")) avatarFetches.push(r.url()); });
    const quique = await account(server.url, "quique"); // a Socket.IO client in the same room
    const socket = client(server.url, { auth: { token: quique.access_token } });
    const heard = [];
    socket.on("profile_updated", (event) => heard.push(event));
    await connected(socket);
    await request(socket, "create_room", { name: "azotea" });
    await request(socket, "send", { room: "azotea", text: "buenas", client_msg_id: "q1" });
    const put = await fetch(new URL("/api/v1/profile/avatar", server.url), {
      method: "PUT", headers: { authorization: `Bearer ${quique.access_token}`, "content-type": "image/png" },
      body: png(8, 8, [0x12, 0xab, 0x34]) });
    assert.equal(put.status, 200);
    const { avatar } = await put.json();
    assert.match(avatar, /^[A-Za-z0-9_-]{16}$/);
    await until(() => heard.some((e) => e.avatar === avatar), { what: "quique's own profile_updated" });

    // Opened after the picture: history and members name its version, the page fetches it once and shows it.
    await pilar.click('#rooms button[data-room="azotea"]');
    await waitForMessages(pilar, 1);
    const picture = "#messages .message[data-seq] .avatar.picture img";
    await pilar.waitForSelector(picture);
    assert.ok((await pilar.getAttribute(picture, "src")).startsWith("blob:"));
    assert.equal(await pilar.$eval(picture, (img) => img.complete && img.naturalWidth), 8);
    await request(socket, "send", { room: "azotea", text: "¿qué tal?", client_msg_id: "q2" });
    await waitForMessages(pilar, 2);
    await pilar.waitForFunction(() => document.querySelectorAll("#messages .message[data-seq] .avatar.picture img").length === 2);
    assert.equal(avatarFetches.length, 1, avatarFetches.join(", "));
    assert.ok(avatarFetches[0].endsWith(`/api/v1/avatars/quique?v=${avatar}`));
    if (SHOTS) await pilar.screenshot({ path: path.join(SHOTS, "guest-page-avatars.png") });

    // Removed elsewhere: profile_updated brings the initials back at once.
    const removed = await fetch(new URL("/api/v1/profile/avatar", server.url),
                                { method: "DELETE", headers: { authorization: `Bearer ${quique.access_token}` } });
    assert.equal(removed.status, 200);
    await pilar.waitForFunction(() => !document.querySelector("#messages .message[data-seq] .avatar.picture"));
    assert.equal(await pilar.textContent("#messages .message[data-seq] .avatar"), "Q");
    disconnectAll();
    await pilar.context().close();
    assert.deepEqual(problems, []);
  });

  it("lets the guest choose, see and remove her own picture, and says why one is refused (issue 12)", async () => {
    const ximena = await guest("es-ES", "ximena");
    const ownFetches = [];
    ximena.on("request", (r) => { if (r.url().includes("/api/v1/avatars/")) ownFetches.push(r.url()); });
    const yago = await account(server.url, "yago"); // a Socket.IO client in the same room
    const socket = client(server.url, { auth: { token: yago.access_token } });
    const heard = [];
    socket.on("profile_updated", (event) => heard.push(event));
    await connected(socket);
    await request(socket, "create_room", { name: "terraza" });
    await ximena.click('#rooms button[data-room="terraza"]');
    await ximena.waitForSelector("#room-title >> text=# terraza");
    await ximena.fill("#message-input", "¡hola!");
    await ximena.press("#message-input", "Enter");
    await waitForMessages(ximena, 1);
    // Another guest in the room, who will see the picture arrive.
    const zoe = await guest("en-US", "zoe");
    const zoeFetches = [];
    zoe.on("request", (r) => { if (r.url().includes("/api/v1/avatars/")) zoeFetches.push(r.url()); });
    await zoe.click('#rooms button[data-room="terraza"]');
    await waitForMessages(zoe, 1);
    assert.equal(await zoe.textContent('#messages .message[data-seq="1"] .avatar'), "X");

    // A real PNG file, wider than tall, through the file input: its middle square goes up at 256 × 256.
    const photo = Buffer.from(await ximena.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 180;
      canvas.height = 120;
      const g = canvas.getContext("2d");
      g.fillStyle = "#8ecae6"; g.fillRect(0, 0, 180, 120);
      g.fillStyle = "#ffb703"; g.beginPath(); g.arc(90, 50, 26, 0, 2 * Math.PI); g.fill();
      g.fillStyle = "#2d6a4f"; g.fillRect(0, 85, 180, 35);
      return canvas.toDataURL("image/png").split(",")[1];
    }), "base64");
    await ximena.click("#edit-profile");
    assert.equal(await ximena.textContent("#choose-avatar"), "Elegir una foto…");
    assert.equal(await ximena.isHidden("#remove-avatar"), true, "nothing to remove yet");
    await ximena.setInputFiles("#avatar-input", { name: "yo.png", mimeType: "image/png", buffer: photo });
    await ximena.waitForSelector("#avatar-status >> text=Tu foto se ha guardado: ya la ven los demás.");
    await until(() => heard.some((e) => e.user === "ximena" && e.avatar), { what: "ximena's profile_updated" });
    const version = heard.find((e) => e.user === "ximena" && e.avatar).avatar;
    assert.match(version, /^[A-Za-z0-9_-]{16}$/);
    // Seen at once here (header, profile form, her message) from the bytes she sent: never fetched back.
    for (const where of ["#whoami-avatar", "#own-avatar", '#messages .message[data-seq="1"]'])
      await ximena.waitForFunction((selector) => {
        const img = document.querySelector(selector + " .avatar.picture img");
        return img && img.complete && img.naturalWidth === 256 && img.naturalHeight === 256;
      }, where);
    assert.equal(await ximena.isVisible("#remove-avatar"), true);
    assert.deepEqual(ownFetches, []);
    // The other guest sees the new version: fetched once, the same 256-pixel picture.
    await zoe.waitForFunction(() => {
      const img = document.querySelector('#messages .message[data-seq="1"] .avatar.picture img');
      return img && img.complete && img.naturalWidth === 256;
    });
    assert.deepEqual(zoeFetches.map((u) => u.replace(/^.*\/api/, "/api")), [`/api/v1/avatars/ximena?v=${version}`]);
    const stored = await fetch(new URL(`/api/v1/avatars/ximena?v=${version}`, server.url),
                               { headers: { authorization: `Bearer ${yago.access_token}` } });
    assert.equal(stored.headers.get("content-type"), "image/png");
    const bytes = Buffer.from(await stored.arrayBuffer());
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [256, 256]);
    if (SHOTS) await ximena.screenshot({ path: path.join(SHOTS, "guest-page-own-picture-es.png") });

    // Refused before anything is sent, said under the buttons: no picture, a file that only claims to be one,
    // a file too big to open (21 MB on disk, sparse: the local browser reads the path, nothing is copied).
    const huge = path.join(mkdtempSync(path.join(tmpdir(), "tertulia-page-")), "enorme.png");
    writeFileSync(huge, "");
    truncateSync(huge, 21 * 1024 * 1024);
    const refusals = [
      [{ name: "notas.txt", mimeType: "text/plain", buffer: Buffer.from("una lista\n") },
       "notas.txt no es una imagen que esta página pueda usar: elige una imagen PNG, JPEG, GIF o WebP."],
      [{ name: "falsa.png", mimeType: "image/png", buffer: Buffer.from("esto no es un PNG") },
       "falsa.png no es una imagen que esta página pueda usar: elige una imagen PNG, JPEG, GIF o WebP."],
      [huge, "enorme.png es demasiado grande: elige una imagen de 20.0 MB como mucho."],
    ];
    const changes = heard.length;
    for (const [file, said] of refusals) {
      await ximena.setInputFiles("#avatar-input", file);
      await ximena.waitForSelector(`#avatar-error >> text=${said}`);
      assert.equal(await ximena.isHidden("#avatar-status"), true);
    }
    rmSync(path.dirname(huge), { recursive: true, force: true });
    await request(socket, "ping"); // a change would have been heard before this answer
    assert.equal(heard.length, changes, "a refused picture changes nothing");
    assert.equal(await ximena.$eval("#own-avatar .avatar.picture img", (img) => img.naturalWidth), 256, "the picture stays");

    // Removed: the initials come back here and on the other page; yago hears it.
    await ximena.click("#remove-avatar");
    await ximena.waitForSelector("#avatar-status >> text=Se ha quitado tu foto: los demás vuelven a ver tus iniciales.");
    assert.equal(await ximena.isHidden("#avatar-error"), true);
    await ximena.waitForFunction(() => !document.querySelector("#whoami-avatar .avatar.picture"));
    assert.equal(await ximena.textContent("#whoami-avatar .avatar"), "X");
    await zoe.waitForFunction(() => !document.querySelector('#messages .message[data-seq="1"] .avatar.picture'));
    await until(() => heard.slice(changes).some((e) => e.user === "ximena" && e.avatar === null), { what: "the removal" });
    disconnectAll();
    await ximena.context().close();
    await zoe.context().close();
    assert.deepEqual(problems, []);
  });

  it("says when the server finds the chosen picture too big (issue 12)", async () => {
    // A server that takes pictures of at most 4 000 bytes: a photo-like one has more, even at 256 pixels.
    const small = await startServer({ args: ["--web-page"], config: { limits: { ...FAST_LIMITS.limits, max_avatar_bytes: 4000 } } });
    try {
      const alba = await guest("en-US", "alba", small.url);
      await alba.click("#edit-profile");
      const noise = Buffer.from(await alba.evaluate(() => {
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = 256;
        const g = canvas.getContext("2d");
        const pixels = g.createImageData(256, 256);
        for (let i = 0; i < pixels.data.length; ++i) pixels.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
        g.putImageData(pixels, 0, 0);
        return canvas.toDataURL("image/png").split(",")[1];
      }), "base64");
      await alba.setInputFiles("#avatar-input", { name: "ruido.png", mimeType: "image/png", buffer: noise });
      await alba.waitForSelector("#avatar-error >> text=The picture is too big for this server: try a simpler or smaller one.");
      assert.equal(await alba.isHidden("#avatar-status"), true);
      assert.equal(await alba.$("#whoami-avatar .avatar.picture"), null);
      await alba.context().close();
    } finally {
      await small.cleanup();
    }
    // The browser logs the refused request itself; nothing else may go wrong.
    const logged = problems.filter((p) => /status of 413/.test(p));
    problems.splice(0, problems.length, ...problems.filter((p) => !logged.includes(p)));
    assert.deepEqual(problems, []);
  });

  it("starts direct conversations from a member's name and by user name, listed apart (issue 12)", async () => {
    const sara = await guest("en-US", "sara");
    const tomas = await guest("es-ES", "tomas");
    const ulises = await account(server.url, "ulises"); // a Socket.IO client who shares no room with sara
    const socket = client(server.url, { auth: { token: ulises.access_token } });
    const opened = [];
    socket.on("direct_opened", (event) => opened.push(event));
    await connected(socket);
    await request(socket, "set_profile", { display_name: "Ulises Díaz" });
    await sara.fill("#new-room", "muelle");
    await sara.click("#new-room-form button");
    await sara.waitForSelector("#room-title >> text=# muelle");
    await tomas.click('#rooms button[data-room="muelle"]');
    await tomas.waitForSelector("#room-title >> text=# muelle");

    // Tomás's name in the member line starts a conversation with him.
    await sara.waitForSelector('#members button.member[data-user="tomas"]');
    assert.equal(await sara.getAttribute('#members button.member[data-user="tomas"]', "title"), "Send tomas a direct message");
    assert.equal(await sara.$('#members button.member[data-user="sara"]'), null, "not with oneself");
    await sara.click('#members button.member[data-user="tomas"]');
    await sara.waitForSelector("#room-title >> text=@ tomas");
    assert.ok(await sara.$('#directs button[data-room="@sara+tomas"]'));
    assert.equal(await sara.$('#rooms button[data-room="@sara+tomas"]'), null, "apart from the rooms");
    await sara.fill("#message-input", "¿hablamos aquí?");
    await sara.press("#message-input", "Enter");
    await waitForMessages(sara, 1);
    // He hears of it at once: under his direct messages.
    await tomas.waitForSelector('#directs button[data-room="@sara+tomas"]');
    assert.equal(await tomas.textContent("#directs-title"), "Mensajes directos");
    // Her avatar's initial and her name (sara's message may already have added his unread count beside them).
    assert.equal(await tomas.textContent('#directs button[data-room="@sara+tomas"] .room-name'), "Ssara");
    await tomas.click('#directs button[data-room="@sara+tomas"]');
    await tomas.waitForSelector("#room-title >> text=@ sara");
    await waitForMessages(tomas, 1);
    assert.deepEqual(await texts(tomas), ["¿hablamos aquí?"]);

    // By user name, with someone she never met: named by his display name once open; he hears of it.
    await sara.fill("#new-direct", "Ulises");
    await sara.press("#new-direct", "Enter");
    await sara.waitForSelector("#room-title >> text=@ Ulises Díaz");
    assert.equal(await sara.inputValue("#new-direct"), "");
    await until(() => opened.some((e) => e.room.name === "@sara+ulises" && e.room.peer === "sara"), { what: "direct_opened" });
    assert.deepEqual(await sara.$$eval("#directs .room-button", (nodes) => nodes.map((n) => n.dataset.room)),
                     ["@sara+tomas", "@sara+ulises"]);
    assert.deepEqual(await sara.$$eval("#rooms .room-button", (nodes) => nodes.map((n) => n.dataset.room)).then(
      (rooms) => rooms.filter((r) => r.startsWith("@"))), []);
    if (SHOTS) await sara.screenshot({ path: path.join(SHOTS, "guest-page-direct.png") });

    // Nobody of that name, or oneself: said, nothing opened.
    await sara.fill("#new-direct", "nadie");
    await sara.press("#new-direct", "Enter");
    await sara.waitForSelector("#toast >> text=There is no account named nadie on this server.");
    assert.equal(await sara.inputValue("#new-direct"), "nadie");
    await sara.fill("#new-direct", "SARA");
    await sara.press("#new-direct", "Enter");
    await sara.waitForSelector("#toast >> text=A direct conversation is with someone else: type another person's user name.");
    assert.equal(await sara.$$eval("#directs .room-button", (nodes) => nodes.length), 2);
    disconnectAll();
    await sara.context().close();
    await tomas.context().close();
    assert.deepEqual(problems, []);
  });

  it("names a direct conversation by the other person's display name and counts its unread messages (issue 12)", async () => {
    // Polls an asynchronous check (until() takes a synchronous one).
    const eventually = async (check, what) => {
      const deadline = Date.now() + 10000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const yolanda = await guest("en-US", "yolanda");
    const zoe = await account(server.url, "zoe"); // a Socket.IO client with a display name yolanda never met
    const socket = client(server.url, { auth: { token: zoe.access_token } });
    await connected(socket);
    await request(socket, "set_profile", { display_name: "Zoé Martín" });
    // She opens it: direct_opened carries her display name, so yolanda's list shows it before anything else
    // (members, history) could have taught the page.
    const opened = await request(socket, "open_direct", { user: "yolanda" });
    assert.equal(opened.room.peer, "yolanda");
    assert.equal(opened.display_names, undefined, "yolanda has no display name: none written");
    const dm = '#directs button[data-room="@yolanda+zoe"]';
    const named = () => yolanda.waitForFunction((selector) => {
      const name = document.querySelector(selector);
      return name && name.lastChild && name.lastChild.textContent === "Zoé Martín";
    }, dm + " .room-name");
    await named();
    assert.equal(await yolanda.$(dm + " .unread"), null, "nothing unread yet");

    // Two messages while yolanda looks elsewhere: the conversation's badge says 2, as a room's would.
    await yolanda.fill("#new-room", "kiosco");
    await yolanda.click("#new-room-form button");
    await yolanda.waitForSelector("#room-title >> text=# kiosco");
    await request(socket, "send", { room: "@yolanda+zoe", text: "uno", client_msg_id: "zoe-1" });
    await request(socket, "send", { room: "@yolanda+zoe", text: "dos", client_msg_id: "zoe-2" });
    await yolanda.waitForSelector(dm + " .unread >> text=2");
    assert.equal(await yolanda.getAttribute(dm + " .unread", "title"), "Unread messages: 2");
    // A room counts the same way; the room she is reading counts nothing.
    await request(socket, "join", { room: "kiosco" });
    await request(socket, "send", { room: "kiosco", text: "hola", client_msg_id: "zoe-3" });
    await waitForMessages(yolanda, 1);
    assert.equal(await yolanda.$('#rooms button[data-room="kiosco"] .unread'), null, "read as it came");
    if (SHOTS) await yolanda.screenshot({ path: path.join(SHOTS, "guest-page-direct-unread.png") });

    // After a reload (list_rooms): still her display name, still 2 unread (the server's read marker).
    await yolanda.reload();
    await yolanda.waitForSelector(dm + " .unread >> text=2");
    await named();
    // Read up to the first on another device of hers: the page hears read_marker, 1 is left.
    const mine = await account(server.url, "yolanda");
    const other = client(server.url, { auth: { token: mine.access_token } });
    await connected(other);
    await request(other, "mark_read", { room: "@yolanda+zoe", seq: 1 });
    await yolanda.waitForSelector(dm + " .unread >> text=1");
    // Opened, it is read: the badge goes, and the page tells the server (her other device's list agrees).
    await yolanda.click(dm);
    await yolanda.waitForSelector("#room-title >> text=@ Zoé Martín");
    await waitForMessages(yolanda, 2);
    await yolanda.waitForSelector(dm + " .unread", { state: "detached" });
    const readSeq = async () => (await request(other, "list_rooms")).rooms.find((r) => r.name === "@yolanda+zoe").read_seq;
    await eventually(async () => (await readSeq()) === 2, "the read marker on the server");
    const listed = await request(other, "list_rooms");
    assert.deepEqual(listed.display_names, { zoe: "Zoé Martín" });
    await yolanda.reload();
    await yolanda.waitForSelector("#room-title >> text=@ Zoé Martín");
    await yolanda.waitForFunction(() => document.querySelectorAll("#directs .room-button").length === 1
      && document.querySelectorAll("#rooms .room-button").length >= 1 && document.querySelectorAll(".unread").length === 0);
    disconnectAll();
    await yolanda.context().close();
    assert.deepEqual(problems, []);
  });

  it("names the senders of search results it has not met, with their pictures (issue 12)", async () => {
    const vicente = await guest("es-ES", "vicente");
    const wanda = await account(server.url, "wanda"); // a Socket.IO client with a name and a picture
    const writer = client(server.url, { auth: { token: wanda.access_token } });
    await connected(writer);
    await request(writer, "set_profile", { display_name: "Wanda Ñúñez" });
    const put = await fetch(new URL("/api/v1/profile/avatar", server.url), {
      method: "PUT", headers: { authorization: `Bearer ${wanda.access_token}`, "content-type": "image/png" },
      body: png(8, 8, [0xd8, 0x1b, 0x60]) });
    assert.equal(put.status, 200);
    await request(writer, "create_room", { name: "biblioteca" });
    await request(writer, "send", { room: "biblioteca", text: "un libro raro", client_msg_id: "w1" });
    // Vicente joins on another device: the page never opens the room, so it knows nothing of Wanda.
    const elsewhere = client(server.url, { auth: { token: (await account(server.url, "vicente")).access_token } });
    await connected(elsewhere);
    await request(elsewhere, "join", { room: "biblioteca" });

    await vicente.fill("#search-input", "libro");
    await vicente.press("#search-input", "Enter");
    await vicente.waitForSelector('#search-results .search-hit[data-room="biblioteca"]');
    assert.match(await vicente.textContent("#search-results .search-hit .meta"), /# biblioteca · Wanda Ñúñez · /);
    await vicente.waitForFunction(() => {
      const img = document.querySelector("#search-results .search-hit .meta .avatar.picture img");
      return img && img.complete && img.naturalWidth === 8;
    });
    disconnectAll();
    await vicente.context().close();
    assert.deepEqual(problems, []);
  });

  it("reports a traced message as displayed when its line is shown, once", async () => {
    const vera = await guest("en-US", "vera");
    const walter = await account(server.url, "walter"); // a Socket.IO client
    const socket = client(server.url, { auth: { token: walter.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "vigilada" });
    await request(socket, "create_room", { name: "libre" });
    for (const room of ["vigilada", "libre"]) {
      await vera.click(`#rooms button[data-room="${room}"]`);
      await vera.waitForSelector(`#room-title >> text=# ${room}`);
    }
    // Sent while #libre is open: the traced message waits, unseen, and is reported when its room is shown.
    await request(socket, "send", { room: "vigilada", text: "¿me ves?", client_msg_id: "w1" });
    await request(socket, "send", { room: "libre", text: "sin traza", client_msg_id: "w2" });
    await waitForMessages(vera, 1);
    await vera.click('#rooms button[data-room="vigilada"]');
    await vera.waitForSelector('#messages .message[data-seq="1"][data-displayed="recorded"]');
    // Shown once, reported once: drawn again, the line keeps what was reported and asks nothing more.
    await request(socket, "send", { room: "vigilada", text: "otra vez", client_msg_id: "w3" });
    await vera.waitForSelector('#messages .message[data-seq="2"][data-displayed="recorded"]');
    assert.equal(await vera.getAttribute('#messages .message[data-seq="1"]', "data-displayed"), "recorded");
    // A message that is not traced is never reported.
    await vera.click('#rooms button[data-room="libre"]');
    await vera.waitForSelector("#messages .message[data-seq] >> text=sin traza");
    assert.equal(await vera.$$eval("#messages .message[data-traced], #messages .message[data-displayed]", (n) => n.length), 0);
    disconnectAll();
    await vera.context().close();
    assert.deepEqual(problems, []);
  });

  it("formats the Markdown subset with DOM nodes, and markup as text", async () => {
    const ines = await guest("en-US", "ines");
    const juan = await account(server.url, "juan"); // a Socket.IO client
    const socket = client(server.url, { auth: { token: juan.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "taller" });
    await ines.click('#rooms button[data-room="taller"]');
    await ines.waitForSelector("#room-title >> text=# taller");
    const sent = [
      "<script>window.pwned = 1</script>",
      "<img src=x onerror=\"window.pwned = 2\">",
      "**bold** and *it* and `code`",
      "see [the docs](https://example.org/docs) or https://example.org/x and [bad](javascript:alert(1))",
      "```\nint main() { return 0; }\n```",
    ];
    for (const [n, text] of sent.entries()) await request(socket, "send", { room: "taller", text, client_msg_id: `j${n}` });
    await waitForMessages(ines, sent.length);
    const row = (seq) => `#messages .message[data-seq="${seq}"] .text`;

    // Markup is text: no script ran, no element came from the message, the characters are all there.
    assert.equal(await ines.textContent(row(1)), sent[0]);
    assert.equal(await ines.textContent(row(2)), sent[1]);
    assert.equal(await ines.$$eval("#messages .text script, #messages .text img", (nodes) => nodes.length), 0);
    assert.equal(await ines.evaluate(() => window.pwned), undefined);

    // The subset: <strong>, <em>, <code>, <pre>; the markers are gone.
    assert.equal(await ines.textContent(row(3)), "bold and it and code");
    assert.equal(await ines.textContent(`${row(3)} strong`), "bold");
    assert.equal(await ines.textContent(`${row(3)} em`), "it");
    assert.equal(await ines.textContent(`${row(3)} code`), "code");
    assert.equal(await ines.textContent(`${row(5)} pre code`), "int main() { return 0; }");

    // Links: http(s) only, the address in the title when the text is something else, javascript: as text.
    const links = await ines.$$eval(`${row(4)} a`, (nodes) => nodes.map((a) => ({ href: a.href, text: a.textContent, title: a.title, rel: a.rel })));
    assert.deepEqual(links, [
      { href: "https://example.org/docs", text: "the docs", title: "https://example.org/docs", rel: "noopener noreferrer nofollow" },
      { href: "https://example.org/x", text: "https://example.org/x", title: "", rel: "noopener noreferrer nofollow" },
    ]);
    assert.match(await ines.textContent(row(4)), /\[bad\]\(javascript:alert\(1\)\)$/);
    if (SHOTS) await ines.screenshot({ path: path.join(SHOTS, "guest-page-formatting.png") });
    disconnectAll();
    await ines.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows replies with their quote, and replies from the page", async () => {
    const fede = await guest("es-ES", "fede");
    const gala = await account(server.url, "gala"); // a Socket.IO client
    const socket = client(server.url, { auth: { token: gala.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "cine" });
    await fede.click('#rooms button[data-room="cine"]');
    await fede.waitForSelector("#room-title >> text=# cine");
    const question = await request(socket, "send", { room: "cine", text: "¿Vamos el sábado?\nA las 8", client_msg_id: "g1" });
    await request(socket, "send", { room: "cine", text: "o el domingo", client_msg_id: "g2", reply_to: question.seq });
    await waitForMessages(fede, 2);
    const quoteOf = (seq) => fede.textContent(`#messages .message[data-seq="${seq}"] .quote`);
    assert.equal(await quoteOf(2), "gala: ¿Vamos el sábado?");

    // Fede replies from the page: the bar says to what, Escape cancels, the reply carries reply_to.
    await fede.click('#messages .message[data-seq="1"] .reply');
    assert.equal(await fede.textContent("#reply-text"), "Respondiendo a gala: ¿Vamos el sábado?");
    await fede.keyboard.press("Escape");
    assert.equal(await fede.isHidden("#reply-bar"), true);
    await fede.click('#messages .message[data-seq="1"] .reply');
    const heard = new Promise((resolve) => socket.on("message", (message) => { if (message.sender === "fede") resolve(message); }));
    await fede.fill("#message-input", "¡el sábado!");
    await fede.press("#message-input", "Enter");
    const reply = await heard;
    assert.equal(reply.reply_to, question.seq);
    assert.equal(await fede.isHidden("#reply-bar"), true);
    await waitForMessages(fede, 3);
    assert.equal(await quoteOf(3), "gala: ¿Vamos el sábado?");
    // A click on the quote brings the original into view, marked for a moment.
    await fede.click('#messages .message[data-seq="3"] .quote');
    await fede.waitForSelector('#messages .message[data-seq="1"].highlight');
    if (SHOTS) await fede.screenshot({ path: path.join(SHOTS, "guest-page-replies-es.png") });

    // After a reload (history) the quotes are there again.
    await fede.reload();
    await fede.waitForSelector("#chat-view:not([hidden])");
    await fede.click('#rooms button[data-room="cine"]');
    await waitForMessages(fede, 3);
    assert.equal(await quoteOf(2), "gala: ¿Vamos el sábado?");
    assert.equal(await quoteOf(3), "gala: ¿Vamos el sábado?");
    disconnectAll();
    await fede.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows when a message written offline was written, and when it was sent (issue 12, defect 11)", async () => {
    const rocio = await guest("es-ES", "rocio");
    const ramiro = await account(server.url, "ramiro"); // a Socket.IO client that queued a message offline
    const socket = client(server.url, { auth: { token: ramiro.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "anden" });
    await rocio.click('#rooms button[data-room="anden"]');
    await rocio.waitForSelector("#room-title >> text=# anden");
    const written = Date.now() - 20 * 60 * 1000;
    const late = await request(socket, "send", { room: "anden", text: "escrito en el túnel", client_msg_id: "q1", written_at: written });
    const prompt = await request(socket, "send", { room: "anden", text: "ya hay cobertura", client_msg_id: "q2" });
    await waitForMessages(rocio, 2);
    const hhmm = (ms) => new Date(ms).toLocaleTimeString("es", { hour: "2-digit", minute: "2-digit" });
    const shown = async () => {
      assert.equal(await rocio.textContent('#messages .message[data-seq="1"] time'), hhmm(written));
      assert.equal(await rocio.textContent('#messages .message[data-seq="1"] .sent-later'), `· enviado ${hhmm(late.ts)}`);
      assert.match(await rocio.getAttribute('#messages .message[data-seq="1"] .sent-later', "title"),
                   /^Escrito .+, enviado .+ al volver la conexión$/);
      assert.equal(await rocio.$$eval('#messages .message[data-seq="2"] .sent-later', (nodes) => nodes.length), 0);
      assert.equal(await rocio.textContent('#messages .message[data-seq="2"] time'), hhmm(prompt.ts));
    };
    await shown();
    // From history after a reload: the same.
    await rocio.reload();
    await rocio.waitForSelector("#chat-view:not([hidden])");
    await rocio.click('#rooms button[data-room="anden"]');
    await waitForMessages(rocio, 2);
    await shown();
    if (SHOTS) await rocio.screenshot({ path: path.join(SHOTS, "guest-page-written-es.png") });
    disconnectAll();
    await rocio.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows reactions, gives and takes back one", async () => {
    const hugo = await guest("en-US", "hugo");
    const irene = await account(server.url, "irene"); // a Socket.IO client
    const socket = client(server.url, { auth: { token: irene.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "futbol" });
    await hugo.click('#rooms button[data-room="futbol"]');
    await hugo.waitForSelector("#room-title >> text=# futbol");
    const goal = await request(socket, "send", { room: "futbol", text: "Goal!", client_msg_id: "i1" });
    await waitForMessages(hugo, 1);
    const chips = () => hugo.$$eval('#messages .message[data-seq="1"] .chip', (nodes) => nodes.map((n) => n.textContent));

    const heard = new Promise((resolve) => socket.on("message", (m) => { if (m.kind === "react") resolve(m); }));
    await hugo.click('#messages .message[data-seq="1"] .react');
    const entry = await heard;
    assert.equal(entry.sender, "hugo");
    assert.equal(entry.target, goal.seq);
    await hugo.waitForSelector('#messages .message[data-seq="1"] .chip.mine');
    await request(socket, "react", { room: "futbol", seq: goal.seq, reaction: "🎉", client_msg_id: "i-r" });
    await hugo.waitForFunction(() => document.querySelectorAll('#messages .message[data-seq="1"] .chip').length === 2);
    assert.deepEqual(await chips(), ["👍 1", "🎉 1"]);
    assert.equal(await hugo.getAttribute('#messages .message[data-seq="1"] .chip:last-child', "title"), "irene reacted with 🎉");
    if (SHOTS) await hugo.screenshot({ path: path.join(SHOTS, "guest-page-reactions.png") });
    // Our chip again takes it back.
    await hugo.click('#messages .message[data-seq="1"] .chip.mine');
    await hugo.waitForFunction(() => document.querySelectorAll('#messages .message[data-seq="1"] .chip').length === 1);
    assert.deepEqual(await chips(), ["🎉 1"]);
    // After a reload (history) the reactions are as they are now.
    await hugo.reload();
    await hugo.waitForSelector("#chat-view:not([hidden])");
    await hugo.click('#rooms button[data-room="futbol"]');
    await waitForMessages(hugo, 1);
    assert.deepEqual(await chips(), ["🎉 1"]);
    assert.equal(await hugo.$$eval("#messages .message[data-seq]", (nodes) => nodes.length), 1, "reactions are no lines");
    disconnectAll();
    await hugo.context().close();
    assert.deepEqual(problems, []);
  });

  it("searches the rooms one is in and shows a result far back", async () => {
    const julia = await guest("es-ES", "julia");
    const karl = await account(server.url, "karl"); // a Socket.IO client
    const socket = client(server.url, { auth: { token: karl.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "libros" });
    await request(socket, "create_room", { name: "oculto", private: true });
    await request(socket, "send", { room: "oculto", text: "un café oculto", client_msg_id: "k0" });
    await request(socket, "send", { room: "libros", text: "Un café con <b>leche</b>", client_msg_id: "k1" });
    for (let i = 0; i < 55; i++) await request(socket, "send", { room: "libros", text: `relleno ${i}`, client_msg_id: `f${i}` });
    const last = await request(socket, "send", { room: "libros", text: "otro cafe más", client_msg_id: "k2" });
    await julia.click('#rooms button[data-room="libros"]');
    await julia.waitForSelector("#room-title >> text=# libros");
    await waitForMessages(julia, 50);
    assert.equal(await julia.$('#messages .message[data-seq="1"]'), null); // not loaded: beyond the first page

    await julia.fill("#search-input", "CAFE");
    await julia.press("#search-input", "Enter");
    await julia.waitForFunction(() => document.querySelectorAll("#search-results .search-hit").length === 2);
    const hits = await julia.$$eval("#search-results .search-hit", (nodes) => nodes.map((n) => ({
      room: n.dataset.room, seq: Number(n.dataset.seq), marked: Array.from(n.querySelectorAll("mark"), (m) => m.textContent),
      snippet: n.querySelector(".snippet").textContent, markup: n.querySelector(".snippet b") !== null })));
    assert.deepEqual(hits.map((h) => [h.room, h.seq]), [["libros", last.seq], ["libros", 1]]); // never the private room
    assert.deepEqual(hits[0].marked, ["cafe"]);
    assert.deepEqual(hits[1].marked, ["café"]);
    assert.equal(hits[1].snippet, "Un café con <b>leche</b>"); // the message's text, shown as text
    assert.equal(hits[1].markup, false);
    assert.equal(await julia.textContent("#search-status"), "Mensajes encontrados: 2.");
    if (SHOTS) await julia.screenshot({ path: path.join(SHOTS, "guest-page-search-es.png") });

    // A click shows the message, paging the history back to it.
    await julia.click('#search-results .search-hit[data-seq="1"]');
    await julia.waitForSelector('#messages .message[data-seq="1"].highlight');

    await julia.fill("#search-input", "zanahoria");
    await julia.press("#search-input", "Enter");
    await julia.waitForFunction(() => document.querySelector("#search-status").textContent.includes("zanahoria"));
    assert.equal(await julia.textContent("#search-status"), "Ningún mensaje coincide con «zanahoria».");
    assert.equal(await julia.$$eval("#search-results .search-hit", (nodes) => nodes.length), 0);
    disconnectAll();
    await julia.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows images inline and files to download, and uploads an attached file with its message", async () => {
    const noelia = await guest("es-ES", "noelia");
    const oscar = await account(server.url, "oscar"); // a Socket.IO client who uploads over HTTP
    const socket = client(server.url, { auth: { token: oscar.access_token } });
    await connected(socket);
    await request(socket, "create_room", { name: "fotos" });
    await noelia.click('#rooms button[data-room="fotos"]');
    await noelia.waitForSelector("#room-title >> text=# fotos");

    // A real PNG of 400x300, drawn by the browser itself.
    const png = Buffer.from(await noelia.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 400;
      canvas.height = 300;
      const g = canvas.getContext("2d");
      g.fillStyle = "#2d6a4f"; g.fillRect(0, 0, 400, 300);
      g.fillStyle = "#f4d35e"; g.beginPath(); g.arc(300, 80, 50, 0, 2 * Math.PI); g.fill();
      g.fillStyle = "#95d5b2"; g.fillRect(0, 200, 400, 100);
      return canvas.toDataURL("image/png").split(",")[1];
    }), "base64");
    const upload = async (name, type, body) => {
      const response = await fetch(new URL("/api/v1/rooms/fotos/files?name=" + encodeURIComponent(name), server.url),
                                   { method: "POST", headers: { authorization: "Bearer " + oscar.access_token, "content-type": type }, body });
      assert.equal(response.status, 201);
      return response.json();
    };
    const image = await upload("atardecer.png", "image/png", png);
    assert.deepEqual([image.width, image.height], [400, 300]);
    await request(socket, "send", { room: "fotos", text: "Mirad qué luz", client_msg_id: "o1", file: { id: image.id } });
    const notes = await upload("notas.txt", "text/plain", Buffer.from("una lista\n"));
    await request(socket, "send", { room: "fotos", text: "", client_msg_id: "o2", file: { id: notes.id } });

    // The image inline (fetched with the token into a blob: URL), scaled into its box; the file as a link.
    await waitForMessages(noelia, 2);
    await noelia.waitForFunction(() => {
      const img = document.querySelector('#messages .message[data-seq="1"] .file-image img');
      return img && img.complete && img.naturalWidth === 400 && img.src.startsWith("blob:");
    });
    assert.deepEqual(await noelia.$eval('#messages .message[data-seq="1"] .file-image img', (img) => [img.width, img.height]), [320, 240]);
    assert.equal(await noelia.textContent('#messages .message[data-seq="2"] .file-download'), "notas.txt (10 bytes)");

    // Nuria attaches a file: it uploads, then goes out as her message, and Omar gets it with its file.
    await noelia.setInputFiles("#file-input", { name: "plano.png", mimeType: "image/png", buffer: png });
    await waitForMessages(noelia, 3);
    await noelia.waitForFunction(() => document.querySelectorAll(".file-image img[src^='blob:']").length === 2);
    const sent = (await request(socket, "history", { room: "fotos" })).messages[2];
    assert.equal(sent.sender, "noelia");
    assert.equal(sent.file.name, "plano.png");
    assert.equal(sent.file.type, "image/png");
    assert.equal(await noelia.$$eval("#uploads li", (items) => items.length), 0, "no upload left behind");
    await noelia.$eval("#messages", (list) => { list.scrollTop = 0; });
    if (SHOTS) await noelia.screenshot({ path: path.join(SHOTS, "guest-page-files.png") });
    disconnectAll();
    await noelia.context().close();
    assert.deepEqual(problems, []);
  });

  it("shows the connection state and reconnects by itself", async () => {
    const page = await guest("en-US", "dora");
    await page.click('#rooms button[data-room="plaza"]');
    await waitForMessages(page, 3);
    await server.stop();
    await page.waitForSelector('#connection[data-state="reconnecting"]');
    assert.equal(await page.textContent("#connection"), "Reconnecting…");
    await server.restart();
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20000 });
    // The restarted server has no recovery state: the page reloads the room and goes on.
    await page.fill("#message-input", "back again");
    await page.press("#message-input", "Enter");
    await waitForMessages(page, 4);
    assert.deepEqual((await texts(page)).slice(-2), ["Hola desde el escritorio", "back again"]);
    await page.context().close();
    // While the server is down the browser logs its failed attempts; nothing else may go wrong.
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(p)), []);
  });

  it("serves its files with a strict policy, and the bundled client with its licences", async () => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy"), /default-src 'self'/);
    const client = await fetch(new URL("/web/socket.io.min.js", server.url));
    assert.equal(client.status, 200);
    assert.match(await client.text(), /Socket\.IO v4\.8/);
    const licences = await (await fetch(new URL("/web/licenses.txt", server.url))).text();
    assert.match(licences, /socket\.io-client/);
    assert.match(licences, /MIT License|Permission is hereby granted/);
  });

  it("is off unless the server is asked to serve it", async () => {
    const plain = await startServer();
    try {
      assert.equal((await fetch(plain.url)).status, 404);
    } finally {
      await plain.cleanup();
    }
  });
});

describe("the guest page over https with the host's own certificate", () => {
  let server;
  let browser;
  const problems = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
    // tests/data/tls-test.crt: self-signed for localhost and 127.0.0.1, as a hosted chat's is for its host.
    server = await startServer({
      args: ["--web-page", "--name", "Casa", "--tls-cert", path.join(DATA, "tls-test.crt"),
             "--tls-key", path.join(DATA, "tls-test.key")],
      config: FAST_LIMITS,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it("explains the certificate warning and chats over wss://", async () => {
    assert.match(server.url, /^https:\/\//);
    // Without an exception the browser refuses the page: that is the warning guests see first.
    const strict = await browser.newContext();
    await assert.rejects(strict.newPage().then((page) => page.goto(server.url)), /ERR_CERT/);
    await strict.close();

    for (const [locale, user, texts] of [
      ["en-US", "ana", { encrypted: "Encrypted connection (https).", about: "About your browser's warning",
                         compare: /compare its SHA-256 fingerprint with the one on the host's screen/ }],
      ["es-ES", "beto", { encrypted: "Conexión cifrada (https).", about: "Sobre el aviso de tu navegador",
                          compare: /compara su huella SHA-256 con la que aparece en la pantalla del anfitrión/ }],
    ]) {
      // What a guest gets after choosing to continue past the warning.
      const context = await browser.newContext({ locale, ignoreHTTPSErrors: true, viewport: { width: 1024, height: 680 } });
      const page = await context.newPage();
      page.on("pageerror", (error) => problems.push(`${user}: ${error.message}`));
      page.on("console", (message) => { if (message.type() === "error") problems.push(`${user}: ${message.text()}`); });
      await page.goto(server.url);
      assert.equal(await page.getAttribute("#security", "data-secure"), "yes");
      assert.equal(await page.textContent("#security-text"), texts.encrypted);
      assert.equal(await page.textContent("#security-summary"), texts.about);
      await page.click("#security-summary");
      assert.ok(await page.isVisible("#security-howto"));
      assert.match(await page.textContent("#security-howto"), texts.compare);
      if (SHOTS && locale === "en-US")
        await page.screenshot({ path: path.join(SHOTS, "guest-page-https.png") });

      await page.fill("#username", user);
      await page.fill("#password", "password123");
      await page.click("#register");
      await page.waitForSelector("#chat-view:not([hidden])");
      await page.waitForSelector('#connection[data-state="connected"]');
      const transport = await page.evaluate(() => window.location.protocol);
      assert.equal(transport, "https:");
      await page.fill("#new-room", `sala-${user}`);
      await page.click("#new-room-form button");
      await page.waitForSelector(`#room-title >> text=# sala-${user}`);
      await page.fill("#message-input", "cifrado de punta a punta");
      await page.press("#message-input", "Enter");
      await page.waitForFunction(() => document.querySelectorAll("#messages .message[data-seq]").length >= 1);
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
});

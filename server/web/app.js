// The guest page: sign in or register over the HTTP API, then chat over Socket.IO (the server's
// /socket.io/ endpoint, the same rooms and history as the desktop app). Vanilla JS, no framework; all
// user text goes into the DOM with textContent. docs/socketio.md describes the events used here.
"use strict";

(function () {
  const tr = window.tr;
  const $ = (id) => document.getElementById(id);
  const storage = window.sessionStorage;

  const state = {
    user: null,
    access: null,
    refresh: null,
    socket: null,
    refreshTimer: null,
    room: null,                 // name of the open room
    rooms: new Map(),           // key -> RoomInfo
    messages: new Map(),        // room key -> Map(seq -> message)
    pending: new Map(),         // client_msg_id -> {room, text, failed, replyTo}
    replyTo: null,              // {seq, room} of the message the next one replies to
    searchGeneration: 0,        // answers of an older search are dropped
    typing: new Map(),          // room key -> Map(user -> timer)
    members: new Map(),         // room key -> Map(user -> status)
    names: new Map(),           // user key -> display name (issue 12): hello, members, history, profile_updated
    avatars: new Map(),         // user key -> the version of their avatar picture, learnt with the names
    avatarUrls: new Map(),      // "key/version" -> Promise of a blob: URL (fetched once, at most AVATAR_CACHE kept)
    avatarReady: new Map(),     // "key/version" -> blob: URL once loaded (drawn at once on the next render)
    lastTypingSent: 0,
    uploads: new Map(),         // local id -> {room, file, progress, failed, error, xhr} (files being uploaded)
    fileUrls: new Map(),        // file id -> Promise of a blob: URL (downloaded once per page)
    ownPicture: null,           // while our picture uploads: Promise of {version, blob} (null when refused)
    readToSend: new Map(),      // room key -> {room, seq}: read markers waiting to go (markRead)
    readTimer: null,
  };

  // Room and user names compare ignoring case, as on the server.
  const keyOf = (name) => String(name).toLowerCase();

  // ---- small helpers ---------------------------------------------------------------------------

  function applyTranslations() {
    for (const element of document.querySelectorAll("[data-i18n]"))
      element.textContent = tr(element.dataset.i18n);
    for (const element of document.querySelectorAll("[data-i18n-placeholder]"))
      element.placeholder = tr(element.dataset.i18nPlaceholder);
  }

  let toastTimer = null;
  function toast(text) {
    const element = $("toast");
    element.textContent = text;
    element.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { element.hidden = true; }, 5000);
  }

  // Ids for client messages: crypto.randomUUID() needs a secure context, which a LAN http:// page is not.
  function newClientId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function formatTime(ms) {
    return new Date(ms).toLocaleTimeString(tr.language, { hour: "2-digit", minute: "2-digit" });
  }

  function formatDateTime(ms) {
    return new Date(ms).toLocaleString(tr.language, { dateStyle: "medium", timeStyle: "short" });
  }

  // A message written offline and sent later carries when it was written (written_at, docs/protocol.md **send**):
  // that is its time here; its ts (when the server stored it) is said beside it.
  const shownTime = (message) => message.written_at || message.ts;

  // ---- display names and generated avatars (issue 12; docs/protocol.md#profiles) ---------------------

  // What to show for a person: their display name, or their user name.
  const shown = (user) => state.names.get(keyOf(user)) || user;

  function learnName(user, displayName) {
    if (displayName) state.names.set(keyOf(user), displayName);
    else state.names.delete(keyOf(user));
  }

  // An avatar picture's version (docs/protocol.md#avatar-pictures): only the shape the server makes, since it
  // goes into a URL. Absent or null: none (the generated avatar).
  const AVATAR_VERSION = /^[A-Za-z0-9_-]{1,32}$/;
  function learnAvatar(user, version) {
    if (typeof version === "string" && AVATAR_VERSION.test(version)) state.avatars.set(keyOf(user), version);
    else state.avatars.delete(keyOf(user));
  }
  function learnProfile(profile) {
    learnName(profile.user, profile.display_name);
    learnAvatar(profile.user, profile.avatar);
  }
  // The display_names and avatars of an answer (history, search, list_rooms, open_direct, direct_opened): only
  // those named are known; a person left out may simply have none, so nothing is forgotten here.
  function learnProfiles(answer) {
    for (const [user, name] of Object.entries(answer.display_names || {})) if (name) learnName(user, name);
    for (const [user, version] of Object.entries(answer.avatars || {})) learnAvatar(user, version);
  }

  // Pictures are fetched with the token (an <img> cannot send it) once per version, and kept as blob: URLs; the
  // oldest go past AVATAR_CACHE (a page open all day meets many people and many versions).
  const AVATAR_CACHE = 200;
  function avatarUrl(user, version) {
    const key = keyOf(user) + "/" + version;
    if (!state.avatarUrls.has(key)) {
      const load = (async () => {
        // Our own picture being uploaded: its profile_updated may come before the PUT's answer says which version
        // the bytes are; when it is that one, the bytes we sent are shown, never fetched back.
        const mine = keyOf(user) === keyOf(state.user) && state.ownPicture ? await state.ownPicture : null;
        let blob = mine && mine.version === version ? mine.blob : null;
        if (!blob) {
          const path = "/api/v1/avatars/" + encodeURIComponent(user) + "?v=" + encodeURIComponent(version);
          const get = () => fetch(path, { headers: { authorization: "Bearer " + state.access } });
          let response = await get();
          if (response.status === 401 && await refreshTokens()) response = await get();
          if (!response.ok) throw new Error(String(response.status));
          blob = await response.blob();
        }
        const url = URL.createObjectURL(blob);
        if (state.avatarUrls.get(key) === load) state.avatarReady.set(key, url);
        else URL.revokeObjectURL(url); // forgotten meanwhile
        return url;
      })();
      load.catch(() => {}); // a missing picture stays the generated avatar (not asked again for this version)
      state.avatarUrls.set(key, load);
      while (state.avatarUrls.size > AVATAR_CACHE) forgetAvatar(state.avatarUrls.keys().next().value);
    }
    return state.avatarUrls.get(key);
  }
  function forgetAvatar(key) {
    const ready = state.avatarReady.get(key);
    if (ready) URL.revokeObjectURL(ready);
    state.avatarReady.delete(key);
    state.avatarUrls.delete(key);
  }
  function forgetAvatars() {
    for (const key of Array.from(state.avatarUrls.keys())) forgetAvatar(key);
    state.avatars.clear();
  }

  // The avatar palette and colour rule every client shares: FNV-1a (32 bits) over the UTF-8 bytes of the
  // lower-case user name, modulo the palette's size. From the user name, so a rename keeps the colour.
  const AVATAR_COLOURS = ["#e53935", "#d81b60", "#8e24aa", "#5e35b1", "#3949ab", "#1e88e5",
                          "#00897b", "#43a047", "#7cb342", "#f4511e", "#6d4c41", "#546e7a"];
  function avatarColour(user) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(keyOf(user))) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return AVATAR_COLOURS[hash % AVATAR_COLOURS.length];
  }

  // The first grapheme (a letter with its accents, an emoji sequence) of the first two words, upper-cased.
  const graphemes = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function avatarInitials(name) {
    return String(name).trim().split(/\s+/).filter(Boolean).slice(0, 2).map((word) => {
      const first = graphemes ? graphemes.segment(word)[Symbol.iterator]().next().value.segment : Array.from(word)[0];
      return first.toUpperCase();
    }).join("");
  }

  function avatarElement(user) {
    const avatar = document.createElement("span");
    avatar.className = "avatar";
    avatar.setAttribute("aria-hidden", "true");  // the name beside it says who
    avatar.style.backgroundColor = avatarColour(user);
    avatar.textContent = avatarInitials(shown(user));
    // The uploaded picture in its place once loaded; the initials until then, and if it cannot be had.
    const version = state.avatars.get(keyOf(user));
    if (version) {
      const key = keyOf(user) + "/" + version;
      const show = (url) => {
        const picture = document.createElement("img");
        picture.alt = "";
        picture.src = url;
        avatar.replaceChildren(picture);
        avatar.classList.add("picture");
      };
      if (state.avatarReady.has(key)) show(state.avatarReady.get(key));
      else avatarUrl(user, version).then(show, () => {});
    }
    return avatar;
  }

  // Who someone is, for a tooltip: the user name beside the display name (anyone may choose any display name).
  function whoTitle(user) {
    const name = state.names.get(keyOf(user));
    return name ? tr("userNameOf", { name, user }) : user;
  }

  function renderWhoami() {
    $("whoami").textContent = tr("signedInAs", { user: shown(state.user) });
    $("whoami").title = whoTitle(state.user);
    // Our own avatar in the header and in the profile form, where the picture is chosen.
    $("whoami-avatar").replaceChildren(avatarElement(state.user));
    $("own-avatar").replaceChildren(avatarElement(state.user));
    $("remove-avatar").hidden = !state.avatars.has(keyOf(state.user));
  }

  function profileUpdated(event) {
    learnProfile(event);
    if (keyOf(event.user) === keyOf(state.user)) renderWhoami();
    renderRooms();
    renderMessages();
    renderMembers();
    renderTyping();
  }

  // After a recovered reconnect (messages replayed, nothing else): renames missed meanwhile come with the open
  // room's member list, as they do after a full resync.
  async function refreshNames() {
    if (!state.room) return;
    try {
      const members = await request("members", { room: state.room });
      for (const member of members.members) learnProfile(member);
      state.members.set(keyOf(state.room), new Map(members.members.map((m) => [m.user, m.status])));
      renderRooms();
      renderMessages();
      renderMembers();
    } catch (error) {
      toast(tr("errorGeneric", { message: error.message }));
    }
  }

  async function saveDisplayName(event) {
    event.preventDefault();
    try {
      const profile = await request("set_profile", { display_name: $("display-name").value.trim() || null });
      profileUpdated(profile);
      $("profile-form").hidden = true;
      toast(profile.display_name ? tr("profileSaved", { name: profile.display_name }) : tr("profileCleared"));
    } catch (error) {
      toast(tr("errorGeneric", { message: error.message }));
    }
  }

  // ---- our own picture (docs/protocol.md#avatar-pictures) ---------------------------------------------
  // Chosen with a file input in the profile form. As the apps do, the page sends the middle square of the image
  // at 256 × 256 pixels as PNG (drawn on a canvas: a phone's photo of several MB becomes a small picture), with
  // PUT /api/v1/profile/avatar and the token; DELETE removes it. What goes wrong is said under the buttons.

  const AVATAR_SIDE = 256;
  // Larger files are not even opened: decoding one would take the browser's memory for a 256-pixel picture.
  const AVATAR_SOURCE_MAX = 20 * 1024 * 1024;

  function avatarNote(kind, text) {
    $("avatar-status").textContent = kind === "status" ? text : "";
    $("avatar-status").hidden = kind !== "status";
    $("avatar-error").textContent = kind === "error" ? text : "";
    $("avatar-error").hidden = kind !== "error";
  }

  // The middle square of the image, scaled to AVATAR_SIDE, as a PNG blob; rejects what the browser cannot decode.
  async function squarePicture(file) {
    const bitmap = await createImageBitmap(file);
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = AVATAR_SIDE;
    const g = canvas.getContext("2d");
    g.imageSmoothingQuality = "high";
    g.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, AVATAR_SIDE, AVATAR_SIDE);
    bitmap.close();
    return new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"));
  }

  async function avatarRequest(method, body) {
    const send = () => fetch("/api/v1/profile/avatar", {
      method, body,
      headers: body ? { authorization: "Bearer " + state.access, "content-type": "image/png" }
                    : { authorization: "Bearer " + state.access },
    });
    let response = await send();
    if (response.status === 401 && await refreshTokens()) response = await send();
    let json = {};
    try { json = await response.json(); } catch (e) { /* empty body */ }
    return { status: response.status, json };
  }

  // Why the server refused a picture, in the page's language.
  function avatarRefusal(result, name) {
    if (result.status === 413) return tr("avatarTooBig");
    if (result.status === 415) return tr("avatarWrongType", { name });
    if (result.status === 429) return tr("avatarTooOften");
    return tr("avatarFailed", { message: (result.json.error && result.json.error.message) || String(result.status) });
  }

  async function setAvatar(file) {
    avatarNote("none");
    if (!file) return;
    if (!IMAGE_TYPES.includes(file.type)) {
      avatarNote("error", tr("avatarWrongType", { name: file.name }));
      return;
    }
    if (file.size > AVATAR_SOURCE_MAX) {
      avatarNote("error", tr("avatarSourceTooBig", { name: file.name, size: formatSize(AVATAR_SOURCE_MAX) }));
      return;
    }
    let picture;
    try {
      picture = await squarePicture(file);
    } catch (error) {
      avatarNote("error", tr("avatarWrongType", { name: file.name }));  // its bytes are no picture after all
      return;
    }
    $("choose-avatar").disabled = true;
    avatarNote("status", tr("avatarSaving"));
    // The bytes sent are the new version's bytes (avatarUrl() shows them): known once the PUT answers.
    let uploaded = null;
    let settle;
    state.ownPicture = new Promise((resolve) => { settle = resolve; });
    try {
      const result = await avatarRequest("PUT", picture);
      if (result.status !== 200) {
        avatarNote("error", avatarRefusal(result, file.name));
        return;
      }
      if (result.json.avatar) uploaded = { version: result.json.avatar, blob: picture };
      settle(uploaded);
      profileUpdated(result.json);  // its profile_updated may have come first, or may follow: either shows it
      avatarNote("status", tr("avatarSaved"));
    } catch (error) {
      avatarNote("error", tr("avatarFailed", { message: tr("networkError") }));
    } finally {
      settle(uploaded);
      state.ownPicture = null;
      $("choose-avatar").disabled = false;
    }
  }

  async function removeAvatar() {
    avatarNote("none");
    try {
      const result = await avatarRequest("DELETE");
      if (result.status !== 200) {
        avatarNote("error", avatarRefusal(result, ""));
        return;
      }
      profileUpdated(result.json);
      avatarNote("status", tr("avatarRemoved"));
    } catch (error) {
      avatarNote("error", tr("avatarFailed", { message: tr("networkError") }));
    }
  }

  // ---- accounts (HTTP API) ---------------------------------------------------------------------

  async function api(path, body, token) {
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = "Bearer " + token;
    const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body || {}) });
    let json = {};
    try { json = await response.json(); } catch (e) { /* empty body */ }
    return { status: response.status, json };
  }

  function accountError(result) {
    const code = result.json && result.json.error ? result.json.error.code : "";
    if (result.status === 401) return tr("errorCredentials");
    if (result.status === 409) return tr("errorTaken");
    if (code === "invalid_name") return tr("errorInvalidName");
    if (result.status === 400) return tr("errorShortPassword");
    if (result.status === 403) return tr("errorClosed");
    if (result.status === 429) return tr("errorRateLimited");
    return tr("errorGeneric", { message: (result.json.error && result.json.error.message) || result.status });
  }

  function useTokens(user, pair) {
    state.user = user;
    state.access = pair.access_token;
    state.refresh = pair.refresh_token;
    storage.setItem("tertulia.user", user);
    storage.setItem("tertulia.refresh", pair.refresh_token);
    clearTimeout(state.refreshTimer);
    // Refresh a minute before the access token expires, and hand the new one to the open connection.
    const inMs = Math.max(5, (pair.expires_in || 900) - 60) * 1000;
    state.refreshTimer = setTimeout(async () => {
      if (await refreshTokens() && state.socket && state.socket.connected)
        request("auth", { token: state.access }).catch(() => {});
    }, inMs);
  }

  async function refreshTokens() {
    if (!state.refresh) return false;
    try {
      const result = await api("/api/v1/refresh", { refresh_token: state.refresh });
      if (result.status !== 200) return false;
      useTokens(state.user, result.json);
      return true;
    } catch (e) {
      return false;
    }
  }

  async function signIn(register) {
    const username = $("username").value.trim();
    const password = $("password").value;
    const errorLine = $("sign-in-error");
    errorLine.hidden = true;
    if (!$("sign-in-form").reportValidity()) return;
    try {
      if (register) {
        const created = await api("/api/v1/register", { username, password });
        if (created.status !== 201) throw accountError(created);
        toast(tr("registered"));
      }
      const login = await api("/api/v1/login", { username, password });
      if (login.status !== 200) throw accountError(login);
      $("password").value = "";
      useTokens(username, login.json);
      startChat();
    } catch (error) {
      errorLine.textContent = typeof error === "string" ? error : tr("errorNetwork");
      errorLine.hidden = false;
    }
  }

  function showSignIn(message) {
    if (state.socket) {
      state.socket.removeAllListeners();
      state.socket.disconnect();
      state.socket = null;
    }
    clearTimeout(state.refreshTimer);
    state.access = state.refresh = null;
    storage.removeItem("tertulia.refresh");
    $("chat-view").hidden = true;
    $("sign-in-view").hidden = false;
    $("sign-out").hidden = true;
    $("edit-profile").hidden = true;
    $("profile-form").hidden = true;
    state.names.clear();
    forgetAvatars();
    $("whoami").textContent = "";
    $("whoami-avatar").replaceChildren();
    setConnection("offline");
    const errorLine = $("sign-in-error");
    errorLine.textContent = message || "";
    errorLine.hidden = !message;
  }

  async function signOut() {
    if (state.access) api("/api/v1/logout", {}, state.access).catch(() => {});
    storage.removeItem("tertulia.room");
    showSignIn();
  }

  // ---- the Socket.IO connection ----------------------------------------------------------------

  function setConnection(kind) {
    const element = $("connection");
    let text = tr("offline");
    if (kind === "connected") {
      const transport = state.socket && state.socket.io.engine ? state.socket.io.engine.transport.name : "";
      text = transport === "polling" ? tr("connectedPolling") : tr("connected");
    } else if (kind === "connecting") {
      text = tr("connecting");
    } else if (kind === "reconnecting") {
      text = tr("reconnecting");
    }
    element.dataset.state = kind;
    element.textContent = text;
  }

  // A chat request: the ack carries {type: "ok", data} or {type: "error", error: {code, message}}.
  async function request(type, data) {
    const reply = await state.socket.timeout(10000).emitWithAck(type, data || {});
    if (reply.type !== "ok") {
      const error = new Error(reply.error.message);
      error.code = reply.error.code;
      throw error;
    }
    return reply.data || {};
  }

  function startChat() {
    $("toast").hidden = true; // "account created" has done its job once the chat shows
    $("sign-in-view").hidden = true;
    $("chat-view").hidden = false;
    $("sign-out").hidden = false;
    renderWhoami();
    $("edit-profile").hidden = false;
    setConnection("connecting");

    // The auth callback runs on every (re)connect: each one is authenticated again, with the current token.
    const socket = io({ auth: (cb) => cb({ token: state.access }), reconnectionDelayMax: 5000 });
    state.socket = socket;

    socket.on("connect", () => {
      setConnection("connected");
      socket.io.engine.once("upgrade", () => setConnection("connected"));
      if (socket.recovered) {
        toast(tr("recovered"));
        refreshNames();
      } else {
        resync();
      }
      resendPending();
    });
    socket.on("disconnect", () => setConnection(socket.active ? "reconnecting" : "offline"));
    socket.io.on("reconnect_attempt", () => setConnection("reconnecting"));
    socket.on("connect_error", async (error) => {
      setConnection(socket.active ? "reconnecting" : "offline");
      const code = error.data && error.data.code;
      if (code === "auth_failed" || code === "token_expired" || code === "not_authenticated") {
        // The server refused the token (expired while we were away): refresh once, then try again.
        if (await refreshTokens()) socket.connect();
        else showSignIn(tr("errorSession", { reason: error.message }));
      }
    });

    socket.on("hello", (hello) => {
      $("server-name").textContent = hello.server && hello.server.name ? hello.server.name : "";
      learnProfile(hello);  // at every (re)connect: a rename or a new picture made elsewhere meanwhile
      renderWhoami();
    });
    socket.on("profile_updated", (event) => profileUpdated(event));
    socket.on("message", (message) => { noteTraced(message); addMessage(message); });  // a second argument is the recovery offset
    socket.on("member_joined", (event) => memberChanged(event, true));
    socket.on("member_left", (event) => memberChanged(event, false));
    socket.on("typing", (event) => typingChanged(event));
    socket.on("presence", (event) => presenceChanged(event));
    socket.on("room_created", (event) => upsertRoom(event.room));
    socket.on("direct_opened", (event) => {  // a direct conversation of ours (issue 12)
      learnProfiles(event);  // the other person's display name and picture, before the list shows them
      upsertRoom(event.room);
    });
    socket.on("read_marker", (event) => readElsewhere(event));  // read on another device of ours
    socket.on("invited", (event) => upsertRoom(event.room));
    socket.on("room_updated", (event) => roomUpdated(event.room));
    socket.on("room_deleted", (event) => roomDeleted(event));
    socket.on("error", (error) => toast(tr("errorGeneric", { message: error.message })));
    socket.on("closing", async (closing) => {
      if (closing.code === 4003) {
        await refreshTokens(); // expired token: the automatic reconnect will use the fresh one
      } else if (!closing.reconnect) {
        showSignIn(tr("errorSession", { reason: closing.reason }));
      }
    });
  }

  // After a connection that did not recover its state: reload rooms and the open room's latest page.
  async function resync() {
    try {
      const list = await request("list_rooms");
      learnProfiles(list);  // the other people of our direct conversations, by the names they chose
      state.rooms.clear();
      for (const room of list.rooms) state.rooms.set(keyOf(room.name), room);
      renderRooms();
      const wanted = state.room || storage.getItem("tertulia.room");
      if (wanted && state.rooms.has(keyOf(wanted))) await openRoom(state.rooms.get(keyOf(wanted)).name, true);
    } catch (error) {
      toast(tr("errorGeneric", { message: error.message }));
    }
  }

  // ---- rooms ------------------------------------------------------------------------------------

  // A direct conversation is called after the other person ("@ bob"), a room after its name ("# general").
  // What people call a room: the other person of a direct conversation, a renamed room's title, or its name.
  function roomLabel(room) {
    if (room.kind === "direct") return "@ " + shown(room.peer);  // by their display name when known (issue 12)
    return room.title || "# " + room.name;
  }

  function upsertRoom(room) {
    const existing = state.rooms.get(keyOf(room.name));
    state.rooms.set(keyOf(room.name), existing ? Object.assign(existing, room, { joined: existing.joined || room.joined }) : room);
    renderRooms();
  }

  // Room settings (issue 13): a room's title, topic and archived state change; a room made private that we
  // are not in leaves the list.
  function roomUpdated(room) {
    const key = keyOf(room.name);
    if (room.private && !room.joined) {
      state.rooms.delete(key);
    } else {
      const existing = state.rooms.get(key);
      // Absent fields are unset: the event says the settings as they are now.
      state.rooms.set(key, Object.assign(existing || {}, { title: "", topic: "", archived: false }, room));
    }
    renderRooms();
    if (state.room && keyOf(state.room) === key) renderRoomHeader();
  }

  function roomDeleted(event) {
    const key = keyOf(event.room);
    state.rooms.delete(key);
    if (state.room && keyOf(state.room) === key) {
      state.room = null;
      storage.removeItem("tertulia.room");
      $("messages").replaceChildren();
      renderRoomHeader();
    }
    renderRooms();
    toast(tr("roomDeleted", { by: event.by, room: event.room }));
  }

  // The open room's name (its title when renamed), topic, and whether one can write in it.
  function renderRoomHeader() {
    const room = state.room ? state.rooms.get(keyOf(state.room)) : null;
    $("room-title").textContent = room ? roomLabel(room) : tr("noRoom");
    $("room-title").title = room && room.title ? "#" + room.name : "";
    const topic = $("room-topic");
    topic.textContent = room && room.topic ? room.topic : "";
    topic.hidden = !(room && room.topic);
    const archived = Boolean(room && room.archived);
    const note = $("room-archived");
    note.textContent = archived ? tr("roomArchived", { room: room.name }) : "";
    note.hidden = !archived;
    $("message-input").disabled = !room || archived;
    $("send").disabled = !room || archived;
    $("attach").disabled = !room || archived;
  }

  function roomItem(room) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "room-button";
    button.dataset.room = room.name;
    if (state.room && keyOf(state.room) === keyOf(room.name)) button.setAttribute("aria-current", "true");
    const name = document.createElement("span");
    name.className = "room-name";
    if (room.kind === "direct") {
      // Under "Direct messages": the other person, with their avatar.
      name.append(avatarElement(room.peer), document.createTextNode(shown(room.peer)));
      button.title = whoTitle(room.peer);
      button.append(name);
    } else {
      name.textContent = roomLabel(room);
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = room.joined ? tr("joined") : tr("join");
      button.append(name, badge);
    }
    // Rooms and direct conversations alike: how many messages came since we last read it.
    const count = unreadCount(room);
    if (count > 0) {
      const unread = document.createElement("span");
      unread.className = "unread";
      unread.textContent = count > 99 ? "99+" : String(count);
      unread.title = tr("unreadTitle", { count });
      button.append(unread);
    }
    button.addEventListener("click", () => openRoom(room.name).catch((e) => toast(tr("errorGeneric", { message: e.message }))));
    item.append(button);
    return item;
  }

  // ---- unread counts (docs/protocol.md **mark_read**) --------------------------------------------------
  // As the desktop app counts them: a room we are in has last_seq - read_seq unread, read_seq being our read
  // marker (list_rooms, read_marker from our other devices, and what this page read).
  function unreadCount(room) {
    return room.joined ? Math.max(0, (room.last_seq || 0) - (room.read_seq || 0)) : 0;
  }

  // What this page shows counts as read: the open room while the tab is in front, and our own messages. The
  // marker goes to the server (never lowered there), so our other devices hear it; a burst sends one.
  function markRead(key, seq) {
    const room = state.rooms.get(key);
    if (!room || !room.joined || seq <= (room.read_seq || 0)) return;
    room.read_seq = seq;
    renderRooms();
    state.readToSend.set(key, { room: room.name, seq });
    if (state.readTimer) return;
    state.readTimer = setTimeout(() => {
      state.readTimer = null;
      const markers = [...state.readToSend.values()];
      state.readToSend.clear();
      for (const marker of markers) request("mark_read", marker).catch(() => {});  // kept in memory anyway
    }, 300);
  }

  function readElsewhere(event) {
    const room = state.rooms.get(keyOf(event.room));
    if (!room || event.seq <= (room.read_seq || 0)) return;
    room.read_seq = event.seq;
    renderRooms();
  }

  // A message of a room we are in: its count grows unless it is ours or shown to us now.
  function countMessage(message) {
    const key = keyOf(message.room);
    const room = state.rooms.get(key);
    if (!room) return;
    room.last_seq = Math.max(room.last_seq || 0, message.seq);
    const seen = state.room && keyOf(state.room) === key && document.visibilityState === "visible";
    if (seen || keyOf(message.sender) === keyOf(state.user)) markRead(key, message.seq);
    else renderRooms();
  }

  // Rooms by name; direct conversations (issue 12) apart, by the other person's name as shown.
  function renderRooms() {
    const rooms = [];
    const directs = [];
    for (const room of state.rooms.values()) (room.kind === "direct" ? directs : rooms).push(room);
    rooms.sort((a, b) => a.name.localeCompare(b.name));
    directs.sort((a, b) => shown(a.peer).localeCompare(shown(b.peer)));
    $("rooms").replaceChildren(...rooms.map(roomItem));
    $("directs").replaceChildren(...directs.map(roomItem));
  }

  // The direct conversation with `user` (docs/protocol.md#direct-messages): made the first time, then opened.
  async function openDirect(user) {
    const name = String(user).trim();
    if (!name) return false;
    if (keyOf(name) === keyOf(state.user)) {
      toast(tr("directSelf"));
      return false;
    }
    try {
      const opened = await request("open_direct", { user: name });
      learnProfiles(opened);
      upsertRoom(opened.room);
      await openRoom(opened.room.name);
      return true;
    } catch (error) {
      toast(error.code === "not_found" ? tr("directNoSuchUser", { user: name }) : tr("errorGeneric", { message: error.message }));
      return false;
    }
  }

  async function openRoom(name, quiet) {
    const key = keyOf(name);
    const known = state.rooms.get(key);
    if (!known || !known.joined) {
      const joined = await request("join", { room: name });
      upsertRoom(joined.room);
    }
    if (state.room && keyOf(state.room) !== key) cancelReply();  // a reply belongs to its room
    state.room = state.rooms.get(key).name;
    storage.setItem("tertulia.room", state.room);
    renderRoomHeader();
    renderRooms();
    const page = await request("history", { room: state.room, limit: 50 });
    for (const [user, name] of Object.entries(page.display_names || {})) learnName(user, name);
    for (const [user, version] of Object.entries(page.avatars || {})) learnAvatar(user, version);
    for (const message of page.messages) storeMessage(message);
    renderMessages();
    // Opened is read: up to the newest message the room has, shown now at the bottom.
    const newest = page.messages.reduce((top, message) => Math.max(top, message.seq), 0);
    const opened = state.rooms.get(key);
    opened.last_seq = Math.max(opened.last_seq || 0, newest);
    if (document.visibilityState === "visible") markRead(key, opened.last_seq);
    const members = await request("members", { room: state.room });
    for (const member of members.members) learnProfile(member);
    state.members.set(key, new Map(members.members.map((m) => [m.user, m.status])));
    renderRooms();  // a direct conversation's peer by the name just learnt, in the list and the header
    renderRoomHeader();
    renderMembers();
    renderUploads();
    renderTyping();
    if (!quiet) $("message-input").focus();
  }

  // ---- messages ---------------------------------------------------------------------------------

  // An edit or a deletion (docs/protocol.md, "edit") is no line of its own: it changes the message it targets,
  // when that is here and the change is newer than what it shows (history already shows the current state).
  function applyChange(messages, change) {
    const target = messages.get(change.target);
    if (!target || target.kind || target.deleted) return;
    if (change.kind === "react" || change.kind === "unreact") {
      // Applied only when newer than the reactions it shows (reaction_seq), like edits with edit_seq.
      if (change.seq <= (target.reaction_seq || 0)) return;
      target.reaction_seq = change.seq;
      const reactions = target.reactions || (target.reactions = []);
      let entry = reactions.find((r) => r.reaction === change.text);
      const who = keyOf(change.sender);
      if (change.kind === "react") {
        if (!entry) reactions.push(entry = { reaction: change.text, users: [] });
        if (!entry.users.some((u) => keyOf(u) === who)) entry.users.push(change.sender);
      } else if (entry) {
        entry.users = entry.users.filter((u) => keyOf(u) !== who);
        if (!entry.users.length) target.reactions = reactions.filter((r) => r !== entry);
      }
      return;
    }
    if (change.seq <= (target.edit_seq || 0)) return;
    target.edit_seq = change.seq;
    if (change.kind === "delete") {
      target.deleted = true;
      target.text = "";
    } else {
      target.text = change.text;
      target.edited_at = change.ts;
    }
  }

  function storeMessage(message) {
    const key = keyOf(message.room);
    if (!state.messages.has(key)) state.messages.set(key, new Map());
    if (["edit", "delete", "react", "unreact"].includes(message.kind)) {
      applyChange(state.messages.get(key), message);
      return;
    }
    if (message.kind) return;  // a kind of entry this page does not know: ignore it, as the protocol says
    state.messages.get(key).set(message.seq, message);  // keyed by seq: a replay never duplicates
    if (keyOf(message.sender) === keyOf(state.user)) state.pending.delete(message.client_msg_id);
  }

  function addMessage(message) {
    storeMessage(message);
    countMessage(message);
    if (state.room && keyOf(message.room) === keyOf(state.room)) {
      clearTyping(keyOf(message.room), message.sender);
      renderMessages();
    }
  }

  // The first line of a message, as a reply quotes it.
  function excerpt(text) {
    const line = String(text || "").split("\n")[0].trim();
    return line.length > 120 ? line.slice(0, 120) + "…" : line;
  }

  // A reply's quote of its original (sender and first line), from the messages this page holds of the room.
  function quoteElement(message) {
    const quote = document.createElement("button");
    quote.type = "button";
    quote.className = "quote";
    const original = (state.messages.get(keyOf(message.room || state.room)) || new Map()).get(message.reply_to);
    if (!original) quote.textContent = tr("replyNotLoaded");
    else if (original.deleted) quote.textContent = tr("replyDeleted", { user: shown(original.sender) });
    else quote.textContent = shown(original.sender) + ": " + excerpt(original.text);
    quote.title = tr("showOriginal");
    quote.addEventListener("click", () => {
      const target = $("messages").querySelector('[data-seq="' + String(message.reply_to) + '"]');
      if (!target) { toast(tr("replyNotLoaded")); return; }
      target.scrollIntoView({ block: "center" });
      target.classList.add("highlight");
      setTimeout(() => target.classList.remove("highlight"), 2000);
    });
    return quote;
  }

  // The change shows when the server's entry arrives, as for everyone in the room.
  async function react(message, reaction, remove) {
    const data = { room: state.room, seq: message.seq, reaction, client_msg_id: newClientId() };
    if (remove) data.remove = true;
    try {
      await request("react", data);
    } catch (error) {
      toast(tr("errorGeneric", { message: error.message }));
    }
  }

  function startReply(message) {
    state.replyTo = { seq: message.seq, room: state.room };
    $("reply-text").textContent = tr("replyingTo", { user: shown(message.sender), text: excerpt(message.text) });
    $("reply-bar").hidden = false;
    $("message-input").focus();
  }

  function cancelReply() {
    state.replyTo = null;
    $("reply-bar").hidden = true;
  }

  function messageElement(message, pending) {
    const item = document.createElement("li");
    item.className = "message" + (keyOf(message.sender) === keyOf(state.user) ? " own" : "") + (pending ? " pending" : "");
    if (pending) item.dataset.pending = message.client_msg_id;
    else item.dataset.seq = String(message.seq);
    if (!pending) markDisplayed(item, message);
    const meta = document.createElement("div");
    meta.className = "meta";
    const sender = document.createElement("span");
    sender.className = "sender";
    sender.textContent = shown(message.sender);
    sender.title = whoTitle(message.sender);
    const time = document.createElement("time");
    time.textContent = pending ? (pending.failed ? tr("failed") : tr("pending")) : formatTime(shownTime(message));
    meta.append(avatarElement(message.sender), sender, time);
    if (!pending && message.written_at) {
      const both = tr("writtenSent", { written: formatDateTime(message.written_at), sent: formatDateTime(message.ts) });
      time.dateTime = new Date(message.written_at).toISOString();
      time.title = both;
      const late = document.createElement("span");
      late.className = "sent-later";
      late.textContent = tr("sentLater", { time: formatTime(message.ts) });
      late.title = both;
      meta.append(late);
    }
    if (message.edited_at && !message.deleted) {
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = tr("edited");
      edited.title = formatTime(message.edited_at);
      meta.append(edited);
    }
    if (!pending && !message.deleted) {
      const reply = document.createElement("button");
      reply.type = "button";
      reply.className = "link reply";
      reply.textContent = tr("reply");
      reply.addEventListener("click", () => startReply(message));
      const thumbs = document.createElement("button");
      thumbs.type = "button";
      thumbs.className = "link react";
      thumbs.textContent = "👍";
      thumbs.title = tr("reactThumbs");
      thumbs.addEventListener("click", () => {
        const given = (message.reactions || []).find((r) => r.reaction === "👍");
        react(message, "👍", !!given && given.users.some((u) => keyOf(u) === keyOf(state.user)));
      });
      meta.append(reply, thumbs);
    }
    const text = document.createElement("div");
    text.className = message.deleted ? "text deleted" : "text";
    // The Markdown subset (markdown.js): DOM nodes, the sender's text only ever through textContent.
    if (message.deleted) text.textContent = tr("deleted");
    else text.append(window.TertuliaMarkdown.render(message.text, document));
    if (message.reply_to) item.append(meta, quoteElement(message), text);
    else item.append(meta, text);
    if (message.file && !message.deleted) item.append(fileElement(message.file));
    if (!pending && message.reactions && message.reactions.length) {
      const chips = document.createElement("div");
      chips.className = "reactions";
      for (const reaction of message.reactions) {
        const mine = reaction.users.some((u) => keyOf(u) === keyOf(state.user));
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip" + (mine ? " mine" : "");
        chip.textContent = reaction.reaction + " " + reaction.users.length;
        chip.title = tr("reactedWith", { users: reaction.users.join(", "), reaction: reaction.reaction });
        chip.setAttribute("aria-pressed", mine ? "true" : "false");
        chip.addEventListener("click", () => react(message, reaction.reaction, mine));
        chips.append(chip);
      }
      item.append(chips);
    }
    return item;
  }

  function renderMessages() {
    const list = $("messages");
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.replaceChildren();
    if (!state.room) return;
    const key = keyOf(state.room);
    const messages = Array.from((state.messages.get(key) || new Map()).values()).sort((a, b) => a.seq - b.seq);
    for (const message of messages) list.append(messageElement(message));
    for (const [id, pending] of state.pending) {
      if (keyOf(pending.room) === key)
        list.append(messageElement({ sender: state.user, text: pending.text, client_msg_id: id, room: pending.room,
                                     reply_to: pending.replyTo, file: pending.file }, pending));
    }
    if (nearBottom || messages.length < 60) list.scrollTop = list.scrollHeight;
    observeTraced(list);
  }

  async function send(text) {
    state.lastTypingSent = 0; // the next keystroke starts a new burst of typing
    const id = newClientId();
    const replyTo = state.replyTo && keyOf(state.replyTo.room) === keyOf(state.room) ? state.replyTo.seq : 0;
    cancelReply();
    const pending = { room: state.room, text, failed: false, replyTo };
    state.pending.set(id, pending);
    renderMessages();
    await deliver(id, pending);
  }

  // The same client_msg_id on every retry: the server stores a message once, however often it arrives.
  async function deliver(id, pending) {
    try {
      const data = { room: pending.room, text: pending.text, client_msg_id: id };
      if (pending.replyTo) data.reply_to = pending.replyTo;  // kept on every retry, like the id
      if (pending.file) data.file = { id: pending.file.id };  // an uploaded file (see the files block)
      await request("send", data);
      state.pending.delete(id);
    } catch (error) {
      if (error.code) {       // refused by the server (too large, forbidden...): keep it visible as failed
        pending.failed = true;
        toast(tr("errorGeneric", { message: error.message }));
      }                       // a timeout or a disconnect: resent after the next connect
    }
    renderMessages();
  }

  function resendPending() {
    for (const [id, pending] of state.pending) {
      if (!pending.failed) deliver(id, pending);
    }
  }

  // ---- files and images (docs/protocol.md#files) -----------------------------------------------------
  // Uploads go over HTTP with the access token (XMLHttpRequest: fetch() reports no upload progress), then the
  // message is sent with the file's id. Downloads need the token too, so an image is fetched into a blob: URL
  // (the page's CSP allows blob: images) rather than linked.

  const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  const THUMB_WIDTH = 320;
  const THUMB_HEIGHT = 240;

  function formatSize(bytes) {
    if (bytes < 1024) return tr("sizeBytes", { n: bytes });
    if (bytes < 1024 * 1024) return tr("sizeKiB", { n: (bytes / 1024).toFixed(bytes < 10240 ? 1 : 0) });
    return tr("sizeMiB", { n: (bytes / (1024 * 1024)).toFixed(1) });
  }

  // The bytes of a file as a blob: URL, fetched once (with a fresh token if the old one expired).
  function fileUrl(id) {
    if (!state.fileUrls.has(id)) {
      const load = (async () => {
        const get = () => fetch("/api/v1/files/" + encodeURIComponent(id), { headers: { authorization: "Bearer " + state.access } });
        let response = await get();
        if (response.status === 401 && await refreshTokens()) response = await get();
        if (!response.ok) throw new Error(String(response.status));
        return URL.createObjectURL(await response.blob());
      })();
      load.catch(() => state.fileUrls.delete(id)); // a later render tries again
      state.fileUrls.set(id, load);
    }
    return state.fileUrls.get(id);
  }

  function fileElement(file) {
    const box = document.createElement("div");
    box.className = "file";
    if (IMAGE_TYPES.includes(file.type) && file.width > 0 && file.height > 0) {
      // The box has the image's proportions before it loads, so the list does not jump.
      const scale = Math.min(1, THUMB_WIDTH / file.width, THUMB_HEIGHT / file.height);
      const open = document.createElement("button");
      open.type = "button";
      open.className = "file-image";
      open.title = tr("openImage", { name: file.name });
      const image = document.createElement("img");
      image.alt = file.name;
      image.width = Math.max(1, Math.round(file.width * scale));
      image.height = Math.max(1, Math.round(file.height * scale));
      open.append(image);
      fileUrl(file.id).then((url) => { image.src = url; }, () => { open.classList.add("broken"); image.alt = tr("fileUnavailable", { name: file.name }); });
      open.addEventListener("click", () => fileUrl(file.id).then((url) => window.open(url, "_blank", "noopener")));
      box.append(open);
    } else {
      const link = document.createElement("a");
      link.className = "file-download";
      link.href = "#";
      link.textContent = tr("download", { name: file.name, size: formatSize(file.size) });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        fileUrl(file.id).then((url) => {
          const save = document.createElement("a");
          save.href = url;
          save.download = file.name;
          save.click();
        }, () => toast(tr("fileUnavailable", { name: file.name })));
      });
      box.append(link);
    }
    return box;
  }

  function renderUploads() {
    const list = $("uploads");
    list.replaceChildren();
    for (const [id, upload] of state.uploads) {
      if (keyOf(upload.room) !== keyOf(state.room)) continue;
      const item = document.createElement("li");
      item.className = "upload" + (upload.failed ? " failed" : "");
      item.dataset.upload = id;
      const label = document.createElement("span");
      label.textContent = upload.failed ? tr("uploadFailed", { name: upload.file.name, message: upload.error })
                                        : tr("uploading", { name: upload.file.name, percent: upload.progress });
      item.append(label);
      if (!upload.failed) {
        const bar = document.createElement("progress");
        bar.max = 100;
        bar.value = upload.progress;
        item.append(bar);
      } else {
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "link retry";
        retry.textContent = tr("retry");
        retry.addEventListener("click", () => startUpload(id));
        item.append(retry);
      }
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "link cancel";
      cancel.textContent = tr("cancel");
      cancel.addEventListener("click", () => {
        if (upload.xhr) upload.xhr.abort();
        state.uploads.delete(id);
        renderUploads();
      });
      item.append(cancel);
      list.append(item);
    }
  }

  // One try of an upload: POST the bytes with progress; then the message, as any other (pending, retried).
  function startUpload(id, refreshed) {
    const upload = state.uploads.get(id);
    if (!upload) return;
    upload.failed = false;
    upload.progress = 0;
    const xhr = new XMLHttpRequest();
    upload.xhr = xhr;
    xhr.open("POST", "/api/v1/rooms/" + encodeURIComponent(upload.room) + "/files?name=" + encodeURIComponent(upload.file.name));
    xhr.setRequestHeader("authorization", "Bearer " + state.access);
    // The server reads the bytes: an image goes as its own type, anything else as plain bytes.
    xhr.setRequestHeader("content-type", IMAGE_TYPES.includes(upload.file.type) ? upload.file.type : "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      upload.progress = Math.round((100 * event.loaded) / event.total);
      renderUploads();
    });
    const fail = (message) => {
      upload.failed = true;
      upload.error = message;
      upload.xhr = null;
      renderUploads();
    };
    xhr.addEventListener("error", () => fail(tr("networkError")));
    xhr.addEventListener("load", async () => {
      let json = {};
      try { json = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 401 && !refreshed && await refreshTokens()) { startUpload(id, true); return; }
      if (xhr.status !== 201) { fail((json.error && json.error.message) || String(xhr.status)); return; }
      state.uploads.delete(id);
      renderUploads();
      const clientId = newClientId();
      const pending = { room: upload.room, text: upload.text || "", failed: false, replyTo: 0, file: json };
      state.pending.set(clientId, pending);
      renderMessages();
      await deliver(clientId, pending);
    });
    xhr.send(upload.file);
    renderUploads();
  }

  function uploadFiles(files) {
    if (!state.room || !files) return;
    for (const file of files) {
      const id = newClientId();
      state.uploads.set(id, { room: state.room, file, progress: 0, failed: false, error: "", xhr: null });
      startUpload(id);
    }
  }

  function wireFiles() {
    $("attach").addEventListener("click", () => $("file-input").click());
    $("file-input").addEventListener("change", () => {
      uploadFiles(Array.from($("file-input").files));
      $("file-input").value = "";
    });
    // An image pasted from the clipboard (a screenshot) is a file too.
    $("message-input").addEventListener("paste", (event) => {
      const files = Array.from(event.clipboardData ? event.clipboardData.files : []);
      if (!files.length) return;
      event.preventDefault();
      uploadFiles(files.map((file, i) => (file.name && file.name !== "image.png") ? file
        : new File([file], tr("pastedName", { n: i + 1 }) + "." + (file.type.split("/")[1] || "png"), { type: file.type })));
    });
    const chat = $("messages");
    chat.addEventListener("dragover", (event) => {
      if (!state.room || !Array.from(event.dataTransfer.types).includes("Files")) return;
      event.preventDefault();
      chat.classList.add("dropping");
    });
    chat.addEventListener("dragleave", () => chat.classList.remove("dropping"));
    chat.addEventListener("drop", (event) => {
      chat.classList.remove("dropping");
      if (!state.room || !event.dataTransfer.files.length) return;
      event.preventDefault();
      uploadFiles(Array.from(event.dataTransfer.files));
    });
  }

  // ---- delivery traces: `displayed` (docs/administration.md#delivery-traces) ---------------------------------
  // While the server traces a message, its live `message` event carries `trace`. Once that message's line is
  // actually visible here (an IntersectionObserver over it, with the page's tab in front), the page reports it
  // once with `displayed {room, seq}`, as the desktop app does. Bounded: at most MAX traced messages wait to be
  // seen and MAX reports are remembered, the oldest forgotten first; a trace is a debugging aid.
  const traces = {
    MAX: 256,
    waiting: new Map(),   // "room key/seq" -> {room, seq}: traced, not shown yet
    reported: new Map(),  // "room key/seq" -> "reported" | "recorded" (the server kept it with the trace)
    observer: null,
  };
  const traceKey = (room, seq) => keyOf(room) + "/" + String(seq);
  const bounded = (map) => { while (map.size > traces.MAX) map.delete(map.keys().next().value); };

  function noteTraced(message) {
    if (!message || !message.trace || message.kind || !(message.seq >= 1)) return;
    const key = traceKey(message.room, message.seq);
    if (traces.waiting.has(key) || traces.reported.has(key)) return;
    traces.waiting.set(key, { room: message.room, seq: message.seq });
    bounded(traces.waiting);
  }

  // What was reported shows on the line (tests read it; nothing for people to see).
  function markDisplayed(item, message) {
    const key = traceKey(message.room || state.room, message.seq);
    if (!traces.waiting.has(key) && !traces.reported.has(key)) return;
    item.dataset.traced = key;
    if (traces.reported.has(key)) item.dataset.displayed = traces.reported.get(key);
  }

  function observeTraced(list) {
    if (!("IntersectionObserver" in window)) return;
    if (!traces.observer)
      traces.observer = new IntersectionObserver(reportVisible, { root: list, threshold: 0.5 });
    traces.observer.disconnect();  // the lines were drawn again: watch the new ones
    if (traces.waiting.size === 0 || document.visibilityState !== "visible") return;
    for (const item of list.querySelectorAll("li[data-traced]"))
      if (traces.waiting.has(item.dataset.traced)) traces.observer.observe(item);
  }

  function reportVisible(entries) {
    if (document.visibilityState !== "visible") return;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const item = entry.target;
      traces.observer.unobserve(item);
      const key = item.dataset.traced;
      const waiting = traces.waiting.get(key);
      if (!waiting) continue;
      traces.waiting.delete(key);
      traces.reported.set(key, "reported");
      bounded(traces.reported);
      item.dataset.displayed = "reported";
      // Best effort: a report that does not arrive changes nothing but the trace.
      request("displayed", { room: waiting.room, seq: waiting.seq }).then((answer) => {
        if (!answer.recorded || !traces.reported.has(key)) return;
        traces.reported.set(key, "recorded");
        // The line may have been drawn again meanwhile: mark the one shown now.
        for (const line of $("messages").querySelectorAll("li[data-traced]"))
          if (line.dataset.traced === key) line.dataset.displayed = "recorded";
      }, () => {});
    }
  }

  // A tab brought to the front shows its lines now.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && $("messages")) observeTraced($("messages"));
    // What came while the tab was behind others is read once it shows.
    const open = state.room ? state.rooms.get(keyOf(state.room)) : null;
    if (document.visibilityState === "visible" && open) markRead(keyOf(open.name), open.last_seq || 0);
  });

  // ---- members, presence, typing -----------------------------------------------------------------

  // The member count and who is online; in a room, each other person's name starts a direct conversation.
  function renderMembers() {
    const element = $("members");
    element.replaceChildren();
    if (!state.room) return;
    const room = state.rooms.get(keyOf(state.room));
    const direct = Boolean(room && room.kind === "direct");
    const members = state.members.get(keyOf(state.room)) || new Map();
    const online = Array.from(members.entries()).filter(([, status]) => status !== "offline");
    element.append(members.size === 1 ? tr("memberCountOne") : tr("memberCount", { count: members.size }));
    online.forEach(([user, status], i) => {
      element.append(i === 0 ? " · " : ", ");
      const label = status === "away" ? shown(user) + " (" + tr("away") + ")" : shown(user);
      if (direct || keyOf(user) === keyOf(state.user)) {
        element.append(label);
        return;
      }
      const person = document.createElement("button");
      person.type = "button";
      person.className = "link member";
      person.dataset.user = user;
      person.textContent = label;
      person.title = tr("directTitle", { name: shown(user) });
      person.addEventListener("click", () => openDirect(user));
      element.append(person);
    });
  }

  function memberChanged(event, joined) {
    const key = keyOf(event.room);
    const members = state.members.get(key);
    if (members) {
      if (joined) members.set(event.user, "online");
      else members.delete(event.user);
    }
    const room = state.rooms.get(key);
    if (room && keyOf(event.user) === keyOf(state.user)) room.joined = joined;
    if (state.room && keyOf(state.room) === key) {
      renderMembers();
      const note = document.createElement("li");
      note.className = "system";
      note.textContent = tr(joined ? "memberJoined" : "memberLeft", { user: shown(event.user) });
      $("messages").append(note);
    }
  }

  function presenceChanged(event) {
    for (const members of state.members.values()) {
      if (members.has(event.user)) members.set(event.user, event.status);
    }
    renderMembers();
  }

  function clearTyping(key, user) {
    const users = state.typing.get(key);
    if (users && users.has(user)) {
      clearTimeout(users.get(user));
      users.delete(user);
      renderTyping();
    }
  }

  function typingChanged(event) {
    const key = keyOf(event.room);
    if (!state.typing.has(key)) state.typing.set(key, new Map());
    const users = state.typing.get(key);
    clearTimeout(users.get(event.user));
    if (event.active) users.set(event.user, setTimeout(() => clearTyping(key, event.user), 6000));
    else users.delete(event.user);
    renderTyping();
  }

  function renderTyping() {
    const users = state.room ? Array.from((state.typing.get(keyOf(state.room)) || new Map()).keys(), shown) : [];
    $("typing").textContent = users.length === 0 ? ""
      : users.length === 1 ? tr("typingOne", { user: users[0] })
      : tr("typingMany", { users: users.join(", ") });
  }

  // What protects this connection. Over https the page explains the browser's warning about a certificate
  // the host made itself, and how to check it; it never shows a fingerprint of its own: a page served over
  // a connection in doubt cannot vouch for that connection. Over http it says plainly that anyone on the
  // network can read along (the host turned that address on).
  function showConnectionSecurity() {
    const secure = window.location.protocol === "https:";
    const box = $("security");
    box.dataset.secure = secure ? "yes" : "no";
    $("security-text").textContent = tr(secure ? "tlsEncrypted" : "plainWarning");
    $("security-summary").textContent = tr(secure ? "tlsAboutWarning" : "plainWhy");
    $("security-explained").textContent = tr(secure ? "tlsWarningExplained" : "plainExplained");
    $("security-howto").textContent = secure ? tr("tlsHowToCompare") : "";
    $("security-howto").hidden = !secure;
    box.hidden = false;
  }

  // ---- wiring -----------------------------------------------------------------------------------

  // ---- search (docs/protocol.md, "search") ----------------------------------------------------

  // The excerpt as DOM nodes: text, with the highlighted ranges in <mark> (never markup from the message).
  function snippetNodes(hit) {
    const nodes = [];
    let at = 0;
    const ranges = (hit.highlights || []).slice().sort((a, b) => a[0] - b[0]);
    for (const [start, length] of ranges) {
      if (start < at || start + length > hit.snippet.length) continue;
      nodes.push(document.createTextNode(hit.snippet.slice(at, start)));
      const mark = document.createElement("mark");
      mark.textContent = hit.snippet.slice(start, start + length);
      nodes.push(mark);
      at = start + length;
    }
    nodes.push(document.createTextNode(hit.snippet.slice(at)));
    return nodes;
  }

  // Opens the hit's room and shows the message, paging the history back to it when it is not loaded.
  async function showHit(message) {
    await openRoom(message.room, true);
    const find = () => $("messages").querySelector('[data-seq="' + String(message.seq) + '"]');
    if (!find()) {
      const page = await request("history", { room: message.room, before: message.seq + 1, limit: 50 });
      for (const entry of page.messages) storeMessage(entry);
      renderMessages();
    }
    const target = find();
    if (!target) { toast(tr("replyNotLoaded")); return; }
    target.scrollIntoView({ block: "center" });
    target.classList.add("highlight");
    setTimeout(() => target.classList.remove("highlight"), 2000);
  }

  async function search(before) {
    const query = $("search-input").value.trim();
    const list = $("search-results");
    const status = $("search-status");
    if (!before) list.replaceChildren();
    if (!query) { status.hidden = true; return; }
    const asked = ++state.searchGeneration;
    try {
      const page = await request("search", before ? { query, before } : { query });
      if (asked !== state.searchGeneration) return;  // a newer search was asked for meanwhile
      list.querySelector(".search-more")?.remove();
      // The senders' names and pictures come with the results (issue 12): rooms not opened here have none yet.
      for (const [user, name] of Object.entries(page.display_names || {})) learnName(user, name);
      for (const [user, version] of Object.entries(page.avatars || {})) learnAvatar(user, version);
      for (const hit of page.results) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "search-hit";
        button.dataset.room = hit.message.room;
        button.dataset.seq = String(hit.message.seq);
        const meta = document.createElement("span");
        meta.className = "meta";
        const where = state.rooms.get(keyOf(hit.message.room));
        meta.append(avatarElement(hit.message.sender),
                    (where ? roomLabel(where) : "# " + hit.message.room) + " · " + shown(hit.message.sender) + " · " +
                    formatTime(shownTime(hit.message)));
        const text = document.createElement("span");
        text.className = "snippet";
        text.append(...snippetNodes(hit));
        button.append(meta, text);
        button.addEventListener("click", () => showHit(hit.message).catch((e) => toast(tr("errorGeneric", { message: e.message }))));
        item.append(button);
        list.append(item);
      }
      const count = list.querySelectorAll(".search-hit").length;
      status.textContent = count ? tr("searchFound", { count }) : tr("searchNone", { query });
      status.hidden = false;
      if (page.next) {
        const item = document.createElement("li");
        item.className = "search-more";
        const more = document.createElement("button");
        more.type = "button";
        more.className = "link";
        more.textContent = tr("searchMore");
        more.addEventListener("click", () => search(page.next));
        item.append(more);
        list.append(item);
      }
    } catch (error) {
      if (asked !== state.searchGeneration) return;
      status.textContent = tr("searchFailed", { message: error.message });
      status.hidden = false;
    }
  }

  function wire() {
    applyTranslations();
    showConnectionSecurity();
    setConnection("offline");
    $("sign-in-form").addEventListener("submit", (event) => { event.preventDefault(); signIn(false); });
    $("register").addEventListener("click", () => signIn(true));
    $("sign-out").addEventListener("click", signOut);
    $("edit-profile").addEventListener("click", () => {
      const form = $("profile-form");
      form.hidden = !form.hidden;
      avatarNote("none");
      if (!form.hidden) {
        $("display-name").value = state.names.get(keyOf(state.user)) || "";
        $("display-name").placeholder = state.user;
        $("display-name").focus();
      }
    });
    $("profile-form").addEventListener("submit", saveDisplayName);
    $("choose-avatar").addEventListener("click", () => $("avatar-input").click());
    $("avatar-input").addEventListener("change", () => {
      const file = $("avatar-input").files[0];
      $("avatar-input").value = "";  // the same file again is a new choice
      setAvatar(file);
    });
    $("remove-avatar").addEventListener("click", removeAvatar);
    $("new-direct-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!$("new-direct-form").reportValidity()) return;
      if (await openDirect($("new-direct").value)) $("new-direct").value = "";
    });
    $("profile-cancel").addEventListener("click", () => { $("profile-form").hidden = true; });
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("message-input");
      const text = input.value.trim();
      if (!text || !state.room) return;
      input.value = "";
      send(text);
    });
    $("reply-cancel").addEventListener("click", () => { cancelReply(); $("message-input").focus(); });
    wireFiles();
    $("message-input").addEventListener("keydown", (event) => {
      if (event.key === "Escape" && state.replyTo) { event.preventDefault(); cancelReply(); }
    });
    $("message-input").addEventListener("input", () => {
      const now = Date.now();
      // Repeated every 2 s while typing (the server forgets a typist after 6 s without one).
      if (state.socket && state.socket.connected && state.room && now - state.lastTypingSent > 2000) {
        state.lastTypingSent = now;
        state.socket.emit("typing", { room: state.room, active: true });
      }
    });
    $("search-form").addEventListener("submit", (event) => { event.preventDefault(); search(); });
    $("new-room-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = $("new-room").value.trim();
      if (!name) return;
      try {
        const created = await request("create_room", { name, private: false });
        upsertRoom(created.room);
        $("new-room").value = "";
        await openRoom(created.room.name);
      } catch (error) {
        toast(tr("errorGeneric", { message: error.message }));
      }
    });

    // A reload keeps this tab signed in (the refresh token lives in sessionStorage, not across tabs).
    const user = storage.getItem("tertulia.user");
    const refresh = storage.getItem("tertulia.refresh");
    if (user) $("username").value = user;
    if (user && refresh) {
      state.user = user;
      state.refresh = refresh;
      refreshTokens().then((ok) => (ok ? startChat() : showSignIn()));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();

// Every user-visible string of the guest page, in English and Spanish. The browser's preferred
// language picks the table; English is the fallback.
"use strict";

window.TertuliaStrings = {
  en: {
    welcomeTitle: "Join the conversation",
    welcomeHint: "Sign in with your Tertulia account, or create one here.",
    userName: "User name",
    password: "Password",
    signIn: "Sign in",
    register: "Create account",
    signOut: "Sign out",
    rooms: "Rooms",
    newRoomName: "New room",
    create: "Create",
    noRoom: "Pick a room",
    messagePlaceholder: "Write a message…",
    send: "Send",
    licences: "Third-party licences",
    connected: "Connected",
    connectedPolling: "Connected (long-polling)",
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    offline: "Offline",
    signedInAs: "Signed in as {user}",
    editProfile: "Your name",
    displayName: "Display name",
    displayNameHint: "How people see you: any language, spaces allowed, up to 64 characters. Empty: your user name.",
    save: "Save",
    cancel: "Cancel",
    profileSaved: "People now see you as {name}",
    profileCleared: "People now see your user name",
    userNameOf: "{name} (user name: {user})",
    join: "Join",
    joined: "joined",
    pending: "sending…",
    failed: "not sent",
    edited: "(edited)",
    deleted: "This message was deleted",
    reply: "Reply",
    replyingTo: "Replying to {user}: {text}",
    cancelReply: "Cancel reply",
    replyNotLoaded: "Reply to an earlier message (not loaded)",
    replyDeleted: "Reply to {user}: a deleted message",
    search: "Search",
    searchPlaceholder: "Search messages in my rooms",
    searchNone: "No messages match “{query}”.",
    searchFound: "Messages found: {count}.",
    searchFailed: "The search failed: {message}",
    searchMore: "More results",
    showOriginal: "Show the message this one replies to",
    reactedWith: "{users} reacted with {reaction}",
    reactThumbs: "React with 👍 (again to take it back)",
    typingOne: "{user} is typing…",
    typingMany: "{users} are typing…",
    memberCountOne: "1 member",
    memberCount: "{count} members",
    online: "online",
    away: "away",
    memberJoined: "{user} joined",
    memberLeft: "{user} left",
    errorCredentials: "Wrong user name or password.",
    errorTaken: "That user name is taken.",
    errorInvalidName: "Use 3–32 letters, digits, '_', '.' or '-', starting with a letter or digit.",
    errorShortPassword: "The password needs at least 8 characters.",
    errorClosed: "This server does not accept new accounts.",
    errorNetwork: "The server cannot be reached.",
    errorGeneric: "Something went wrong: {message}",
    roomArchived: "#{room} is archived: you can read it, but nobody can write in it.",
    roomDeleted: "{by} deleted #{room}.",
    errorSession: "Your session ended: {reason}",
    errorRateLimited: "Slow down a little and try again.",
    registered: "Account created. Signing you in…",
    recovered: "Back online; nothing was missed.",
    resynced: "Back online; the conversation was reloaded.",
    tlsEncrypted: "Encrypted connection (https).",
    tlsAboutWarning: "About your browser's warning",
    tlsWarningExplained: "If your browser warned that this connection is not private, that is because this chat " +
      "uses a certificate its host made, and no certificate authority vouches for it. The connection is still " +
      "encrypted; what the browser cannot check by itself is whose computer is at the other end.",
    tlsHowToCompare: "To be sure you reached the host, open the certificate details (the warning's \u201cAdvanced\u201d, " +
      "or the icon left of the address, then \u201cCertificate\u201d) and compare its SHA-256 fingerprint with the one " +
      "on the host's screen (\u201cShare your chat\u201d). If they differ, leave: someone may be in between.",
    plainWarning: "Unencrypted connection: anyone on this network can read what you send here, your password included.",
    plainWhy: "Why?",
    plainExplained: "This address has no encryption: whoever runs this chat turned it on (for example for browsers " +
      "that cannot use its certificate) or did not set up encryption. If an https:// address works for you, use it " +
      "instead.",
  },
  es: {
    welcomeTitle: "Únete a la conversación",
    welcomeHint: "Entra con tu cuenta de Tertulia o crea una aquí.",
    userName: "Nombre de usuario",
    password: "Contraseña",
    signIn: "Entrar",
    register: "Crear cuenta",
    signOut: "Salir",
    rooms: "Salas",
    newRoomName: "Nueva sala",
    create: "Crear",
    noRoom: "Elige una sala",
    messagePlaceholder: "Escribe un mensaje…",
    send: "Enviar",
    licences: "Licencias de terceros",
    connected: "Conectado",
    connectedPolling: "Conectado (long-polling)",
    connecting: "Conectando…",
    reconnecting: "Reconectando…",
    offline: "Sin conexión",
    signedInAs: "Has entrado como {user}",
    editProfile: "Tu nombre",
    displayName: "Nombre visible",
    displayNameHint: "Cómo te ven los demás: cualquier idioma, con espacios, hasta 64 caracteres. Vacío: tu nombre de usuario.",
    save: "Guardar",
    cancel: "Cancelar",
    profileSaved: "Ahora te ven como {name}",
    profileCleared: "Ahora ven tu nombre de usuario",
    userNameOf: "{name} (nombre de usuario: {user})",
    join: "Unirse",
    joined: "dentro",
    pending: "enviando…",
    failed: "no enviado",
    edited: "(editado)",
    deleted: "Se eliminó este mensaje",
    reply: "Responder",
    replyingTo: "Respondiendo a {user}: {text}",
    cancelReply: "Cancelar respuesta",
    replyNotLoaded: "Respuesta a un mensaje anterior (no cargado)",
    replyDeleted: "Respuesta a {user}: un mensaje eliminado",
    search: "Buscar",
    searchPlaceholder: "Buscar mensajes en mis salas",
    searchNone: "Ningún mensaje coincide con «{query}».",
    searchFound: "Mensajes encontrados: {count}.",
    searchFailed: "La búsqueda falló: {message}",
    searchMore: "Más resultados",
    showOriginal: "Mostrar el mensaje al que responde",
    reactedWith: "{users} reaccionaron con {reaction}",
    reactThumbs: "Reaccionar con 👍 (otra vez para quitarla)",
    typingOne: "{user} está escribiendo…",
    typingMany: "{users} están escribiendo…",
    memberCountOne: "1 miembro",
    memberCount: "{count} miembros",
    online: "en línea",
    away: "ausente",
    memberJoined: "{user} ha entrado",
    memberLeft: "{user} se ha ido",
    errorCredentials: "Usuario o contraseña incorrectos.",
    errorTaken: "Ese nombre de usuario ya existe.",
    errorInvalidName: "Usa de 3 a 32 letras, cifras, '_', '.' o '-', empezando por letra o cifra.",
    errorShortPassword: "La contraseña necesita al menos 8 caracteres.",
    errorClosed: "Este servidor no admite cuentas nuevas.",
    errorNetwork: "No se puede contactar con el servidor.",
    errorGeneric: "Algo ha fallado: {message}",
    roomArchived: "#{room} está archivada: puedes leerla, pero nadie puede escribir en ella.",
    roomDeleted: "{by} ha eliminado #{room}.",
    errorSession: "Tu sesión ha terminado: {reason}",
    errorRateLimited: "Ve más despacio y vuelve a intentarlo.",
    registered: "Cuenta creada. Entrando…",
    recovered: "De nuevo en línea; no te has perdido nada.",
    resynced: "De nuevo en línea; se ha recargado la conversación.",
    tlsEncrypted: "Conexión cifrada (https).",
    tlsAboutWarning: "Sobre el aviso de tu navegador",
    tlsWarningExplained: "Si tu navegador avisó de que esta conexión no es privada, es porque esta charla usa un " +
      "certificado que creó su anfitrión y ninguna autoridad de certificación lo avala. La conexión sigue cifrada; " +
      "lo que el navegador no puede comprobar por sí solo es de quién es el equipo del otro lado.",
    tlsHowToCompare: "Para asegurarte de que has llegado al anfitrión, abre los detalles del certificado " +
      "(\u00abAvanzado\u00bb en el aviso, o el icono a la izquierda de la dirección y luego \u00abCertificado\u00bb) y " +
      "compara su huella SHA-256 con la que aparece en la pantalla del anfitrión (\u00abComparte tu charla\u00bb). " +
      "Si no coinciden, sal: puede haber alguien en medio.",
    plainWarning: "Conexión sin cifrar: cualquiera en esta red puede leer lo que envíes aquí, también tu contraseña.",
    plainWhy: "¿Por qué?",
    plainExplained: "Esta dirección no tiene cifrado: quien gestiona esta charla la activó (por ejemplo, para " +
      "navegadores que no pueden usar su certificado) o no configuró el cifrado. Si te funciona una dirección " +
      "https://, úsala en su lugar.",
  },
};

// tr("key", {name: value}): the string in the page's language with {name} placeholders filled.
window.tr = (function () {
  const tables = window.TertuliaStrings;
  const wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"]);
  let language = "en";
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (tables[base]) { language = base; break; }
  }
  document.documentElement.lang = language;
  const table = tables[language];
  const translate = function (key, values) {
    const text = table[key] !== undefined ? table[key] : tables.en[key] !== undefined ? tables.en[key] : key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && values[name] !== undefined ? String(values[name]) : match));
  };
  translate.language = language;
  return translate;
})();

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Tertulia::Admin</name>
    <message>
        <location filename="../app/admin/adminviews.cpp" line="235"/>
        <source>The server&apos;s answer is not JSON: %1 (at byte %2).</source>
        <translation>La respuesta del servidor no es JSON: %1 (en el byte %2).</translation>
    </message>
    <message>
        <location filename="../app/admin/adminviews.cpp" line="239"/>
        <source>The server&apos;s answer is not a JSON object.</source>
        <translation>La respuesta del servidor no es un objeto JSON.</translation>
    </message>
</context>
<context>
    <name>Tertulia::AdminClient</name>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="281"/>
        <source>The server&apos;s answer is not a trace.</source>
        <translation>La respuesta del servidor no es una traza.</translation>
    </message>
</context>
<context>
    <name>Tertulia::AdminError</name>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="46"/>
        <source>You are not an administrator of this server.</source>
        <translation>No eres administrador de este servidor.</translation>
    </message>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="47"/>
        <source>Your sign-in expired. Wait until the app is connected again.</source>
        <translation>Tu sesión ha caducado. Espera a que la aplicación vuelva a conectarse.</translation>
    </message>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="48"/>
        <source>It is not there any more.</source>
        <translation>Ya no está.</translation>
    </message>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="49"/>
        <source>The server refused: %1</source>
        <translation>El servidor se ha negado: %1</translation>
    </message>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="50"/>
        <source>The server cannot be reached.</source>
        <translation>No se puede contactar con el servidor.</translation>
    </message>
    <message>
        <location filename="../app/admin/adminclient.cpp" line="53"/>
        <source>The server could not do it: %1</source>
        <translation>El servidor no ha podido hacerlo: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::AuthError</name>
    <message>
        <location filename="../app/net/autherror.cpp" line="124"/>
        <source>Wrong user name or password.</source>
        <translation>Nombre de usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="126"/>
        <source>Your sign-in has expired. Please sign in again.</source>
        <translation>Tu sesión ha caducado. Vuelve a iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="128"/>
        <source>That name is already taken.</source>
        <translation>Ese nombre ya está en uso.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="130"/>
        <source>User names are %1 to %2 letters, digits, dots, dashes or underscores, starting with a letter or digit.</source>
        <translation>Los nombres de usuario tienen de %1 a %2 letras, cifras, puntos, guiones o guiones bajos, y empiezan por una letra o una cifra.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="134"/>
        <source>The password must be %1 to %2 characters long.</source>
        <translation>La contraseña debe tener de %1 a %2 caracteres.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="138"/>
        <source>This server does not accept new accounts.</source>
        <translation>Este servidor no admite cuentas nuevas.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="140"/>
        <source>Too many attempts. Please wait a moment and try again.</source>
        <translation>Demasiados intentos. Espera un momento y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="142"/>
        <source>The server is busy. Please try again later.</source>
        <translation>El servidor está ocupado. Inténtalo de nuevo más tarde.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="144"/>
        <source>The server cannot be reached.</source>
        <translation>No se puede contactar con el servidor.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="146"/>
        <source>A secure connection to the server could not be established.</source>
        <translation>No se pudo establecer una conexión segura con el servidor.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="148"/>
        <source>This server&apos;s certificate is not vouched for by anyone yet. Nothing was sent to it.</source>
        <translation>Nadie avala todavía el certificado de este servidor. No se le ha enviado nada.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="150"/>
        <source>This server&apos;s certificate is not the one this app trusts for it, so the connection was blocked. Nothing was sent to it: not your password and not your sign-in.</source>
        <translation>El certificado de este servidor no es el que esta aplicación reconoce para él, así que se ha bloqueado la conexión. No se le ha enviado nada: ni tu contraseña ni tu sesión.</translation>
    </message>
    <message>
        <location filename="../app/net/autherror.cpp" line="153"/>
        <location filename="../app/net/autherror.cpp" line="155"/>
        <source>The server could not complete the request.</source>
        <translation>El servidor no pudo completar la solicitud.</translation>
    </message>
</context>
<context>
    <name>Tertulia::CertificateCheck</name>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="9"/>
        <source>The certificate of %1 is vouched for by a certificate authority</source>
        <translation>Una autoridad de certificación avala el certificado de %1</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="12"/>
        <source>The certificate of %1 is the one this app trusts for it</source>
        <translation>El certificado de %1 es el que esta aplicación reconoce para él</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="14"/>
        <source>%1 renewed its certificate with the same key</source>
        <translation>%1 ha renovado su certificado con la misma clave</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="16"/>
        <source>%1 presents a certificate that nobody vouches for yet: confirm it before connecting</source>
        <translation>%1 presenta un certificado que nadie avala todavía: confírmalo antes de conectar</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="18"/>
        <source>The certificate of %1 has changed: the connection was blocked</source>
        <translation>El certificado de %1 ha cambiado: se ha bloqueado la conexión</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="19"/>
        <source>The certificate of %1 is not the one announced for it: the connection was blocked</source>
        <translation>El certificado de %1 no es el que se anunció para él: se ha bloqueado la conexión</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="27"/>
        <source>trusted when you first connected</source>
        <translation>aceptado la primera vez que te conectaste</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="28"/>
        <source>as announced on your network</source>
        <translation>tal como se anunció en tu red</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="29"/>
        <source>from the host&apos;s link or QR code</source>
        <translation>del enlace o el código QR del anfitrión</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="30"/>
        <source>the chat this computer hosts</source>
        <translation>la charla que abre este equipo</translation>
    </message>
    <message>
        <location filename="../app/net/certificatecheck.cpp" line="31"/>
        <source>a new certificate you accepted</source>
        <translation>un certificado nuevo que aceptaste</translation>
    </message>
</context>
<context>
    <name>Tertulia::ChatClient</name>
    <message>
        <location filename="../app/session/chatclient.cpp" line="345"/>
        <source>The system keychain is not answering, so this sign-in lasts only until Tertulia quits.</source>
        <translation>El llavero del sistema no responde, así que esta sesión solo dura hasta que cierres Tertulia.</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="736"/>
        <location filename="../app/session/chatclient.cpp" line="1023"/>
        <location filename="../app/session/chatclient.cpp" line="1056"/>
        <location filename="../app/session/chatclient.cpp" line="1078"/>
        <source>Not connected to the server</source>
        <translation>Sin conexión con el servidor</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="743"/>
        <source>Room names are 1 to %1 letters, digits, dots, dashes or underscores.</source>
        <translation>Los nombres de sala tienen de 1 a %1 letras, cifras, puntos, guiones o guiones bajos.</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="787"/>
        <source>There is no user “%1”.</source>
        <translation>No hay ningún usuario «%1».</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="872"/>
        <source>The text must not be empty or longer than the server allows.</source>
        <translation>El texto no puede estar vacío ni ser más largo de lo que permite el servidor.</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="890"/>
        <source>A reaction is one emoji.</source>
        <translation>Una reacción es un solo emoji.</translation>
    </message>
    <message>
        <location filename="../app/session/chatclient.cpp" line="1033"/>
        <source>The new password must have at least %1 characters.</source>
        <translation>La nueva contraseña debe tener al menos %1 caracteres.</translation>
    </message>
</context>
<context>
    <name>Tertulia::ChatConnection</name>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="70"/>
        <source>the server refused the connection (is it running?)</source>
        <translation>el servidor rechazó la conexión (¿está en marcha?)</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="72"/>
        <source>the server closed the connection</source>
        <translation>el servidor cerró la conexión</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="74"/>
        <source>the server&apos;s name was not found</source>
        <translation>no se encontró el nombre del servidor</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="76"/>
        <source>the connection timed out</source>
        <translation>la conexión tardó demasiado</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="78"/>
        <source>the network is unreachable</source>
        <translation>no se puede llegar a la red</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="80"/>
        <source>the secure connection could not be set up</source>
        <translation>no se pudo establecer la conexión segura</translation>
    </message>
    <message>
        <location filename="../app/net/chatconnection.cpp" line="87"/>
        <source>the network proxy did not let the connection through</source>
        <translation>el proxy de la red no dejó pasar la conexión</translation>
    </message>
</context>
<context>
    <name>Tertulia::ChatFiles</name>
    <message>
        <location filename="../app/session/chatfiles.cpp" line="156"/>
        <source>%1 is too large to send.</source>
        <translation>%1 es demasiado grande para enviarlo.</translation>
    </message>
    <message>
        <location filename="../app/session/chatfiles.cpp" line="161"/>
        <source>%1 cannot be read: %2</source>
        <translation>No se puede leer %1: %2</translation>
    </message>
    <message>
        <location filename="../app/session/chatfiles.cpp" line="166"/>
        <source>%1 cannot be sent: you are signed out.</source>
        <translation>No se puede enviar %1: no has iniciado sesión.</translation>
    </message>
    <message>
        <source>you are not in %1</source>
        <translation type="vanished">no estás en %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::ConnectionHealth</name>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="162"/>
        <source>Tertulia connection diagnostics (%1)</source>
        <translation>Diagnóstico de la conexión de Tertulia (%1)</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="163"/>
        <source>server: %1 %2</source>
        <translation>servidor: %1 %2</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="164"/>
        <source>tls: %1</source>
        <translation>tls: %1</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="164"/>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="169"/>
        <source>certificate: %1 sha256=%2</source>
        <translation>certificado: %1 sha256=%2</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="172"/>
        <source>rtt: current %1 ms, mean %2 ms, deviation %3 ms, samples %4</source>
        <translation>rtt: actual %1 ms, media %2 ms, desviación %3 ms, muestras %4</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="177"/>
        <source>connections: %1 (reconnects %2)</source>
        <translation>conexiones: %1 (reconexiones %2)</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="179"/>
        <source>last disconnect: %1, code %2, %3</source>
        <translation>última desconexión: %1, código %2, %3</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="182"/>
        <source>messages received/sent: %1/%2</source>
        <translation>mensajes recibidos/enviados: %1/%2</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="183"/>
        <source>frames in/out: %1/%2, bytes in/out: %3/%4</source>
        <translation>tramas recibidas/enviadas: %1/%2, bytes recibidos/enviados: %3/%4</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="185"/>
        <source>outbox: %1</source>
        <translation>bandeja de salida: %1</translation>
    </message>
    <message>
        <location filename="../app/session/connectionhealth.cpp" line="187"/>
        <source>last resume: %1 rooms, %2 with gap, %3 replayed, %4 paged in</source>
        <translation>última reanudación: %1 salas, %2 con huecos, %3 reenviados, %4 recuperados del historial</translation>
    </message>
</context>
<context>
    <name>Tertulia::ConnectionManager</name>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="31"/>
        <source>The server did not answer in time</source>
        <translation>El servidor no respondió a tiempo</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="32"/>
        <source>The server did not confirm the sign-in in time</source>
        <translation>El servidor no confirmó el inicio de sesión a tiempo</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="223"/>
        <location filename="../app/session/connectionmanager.cpp" line="452"/>
        <source>The server sent an unreadable reply</source>
        <translation>El servidor envió una respuesta ilegible</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="237"/>
        <source>The sign-in expired</source>
        <translation>La sesión ha caducado</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="406"/>
        <source>The connection was lost</source>
        <translation>Se perdió la conexión</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="468"/>
        <source>No response from the server</source>
        <translation>El servidor no responde</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="535"/>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="536"/>
        <source>Connecting</source>
        <translation>Conectando</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="537"/>
        <source>Signing in</source>
        <translation>Iniciando sesión</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="538"/>
        <source>Catching up</source>
        <translation>Poniéndose al día</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="539"/>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="540"/>
        <source>Reconnecting</source>
        <translation>Reconectando</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="541"/>
        <source>Not connected</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="550"/>
        <source>The server did not accept your sign-in. Please sign in again.</source>
        <translation>El servidor no aceptó tu sesión. Vuelve a iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="551"/>
        <source>You were signed out (from another device or by the server).</source>
        <translation>Se cerró tu sesión (desde otro dispositivo o por el servidor).</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="552"/>
        <source>An administrator removed you from this server.</source>
        <translation>Un administrador te ha expulsado de este servidor.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="553"/>
        <source>Your sign-in has expired. Please sign in again.</source>
        <translation>Tu sesión ha caducado. Vuelve a iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="554"/>
        <source>This server does not speak the Tertulia protocol (or a newer version of it).</source>
        <translation>Este servidor no habla el protocolo de Tertulia (o usa una versión más nueva).</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="555"/>
        <source>The server address is not valid.</source>
        <translation>La dirección del servidor no es válida.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="557"/>
        <source>This server&apos;s certificate has not been confirmed yet. Nothing was sent to it.</source>
        <translation>El certificado de este servidor aún no está confirmado. No se le ha enviado nada.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="559"/>
        <source>The connection was blocked: this server&apos;s certificate has changed. Nothing was sent to it.</source>
        <translation>Se ha bloqueado la conexión: el certificado de este servidor ha cambiado. No se le ha enviado nada.</translation>
    </message>
    <message>
        <location filename="../app/session/connectionmanager.cpp" line="560"/>
        <source>This account was deleted.</source>
        <translation>Esta cuenta se ha eliminado.</translation>
    </message>
</context>
<context>
    <name>Tertulia::CredentialStore</name>
    <message>
        <location filename="../app/storage/credentialstore.cpp" line="19"/>
        <source>No saved sign-in was found.</source>
        <translation>No se encontró ninguna sesión guardada.</translation>
    </message>
    <message>
        <location filename="../app/storage/credentialstore.cpp" line="21"/>
        <source>No system keychain is available, so your sign-in will only be kept until you quit.</source>
        <translation>No hay ningún llavero del sistema disponible, así que tu sesión solo se mantendrá hasta que salgas.</translation>
    </message>
    <message>
        <location filename="../app/storage/credentialstore.cpp" line="22"/>
        <source>The system keychain could not save your sign-in.</source>
        <translation>El llavero del sistema no pudo guardar tu sesión.</translation>
    </message>
</context>
<context>
    <name>Tertulia::DeviceListModel</name>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="58"/>
        <source>Unknown device</source>
        <translation>Dispositivo desconocido</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="59"/>
        <source>%1 (this device)</source>
        <translation>%1 (este dispositivo)</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="63"/>
        <location filename="../app/models/devicelistmodel.cpp" line="69"/>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="67"/>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="74"/>
        <source>This device did not say what it is.</source>
        <translation>Este dispositivo no dijo qué es.</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="84"/>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="85"/>
        <source>Signed in</source>
        <translation>Sesión iniciada</translation>
    </message>
    <message>
        <location filename="../app/models/devicelistmodel.cpp" line="86"/>
        <source>Last used</source>
        <translation>Último uso</translation>
    </message>
</context>
<context>
    <name>Tertulia::DisconnectInfo</name>
    <message>
        <location filename="../app/net/transport.cpp" line="14"/>
        <source>This server does not speak the Tertulia protocol (or a newer version of it)</source>
        <translation>Este servidor no habla el protocolo de Tertulia (o usa una versión más nueva)</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="19"/>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="22"/>
        <source>The server closed the connection</source>
        <translation>El servidor cerró la conexión</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="24"/>
        <source>The server is shutting down or restarting</source>
        <translation>El servidor se está apagando o reiniciando</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="26"/>
        <source>A message was too big for the server</source>
        <translation>Un mensaje era demasiado grande para el servidor</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="28"/>
        <source>The server did not see a sign-in in time</source>
        <translation>El servidor no recibió el inicio de sesión a tiempo</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="30"/>
        <source>The server did not accept the sign-in</source>
        <translation>El servidor no aceptó el inicio de sesión</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="32"/>
        <source>The sign-in expired</source>
        <translation>La sesión ha caducado</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="34"/>
        <source>You were signed out on this server</source>
        <translation>Se cerró tu sesión en este servidor</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="36"/>
        <source>An administrator removed you from the server</source>
        <translation>Un administrador te ha expulsado del servidor</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="38"/>
        <source>The account was deleted</source>
        <translation>La cuenta se ha eliminado</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="40"/>
        <source>Too many requests: the server asked to slow down</source>
        <translation>Demasiadas solicitudes: el servidor pidió ir más despacio</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="42"/>
        <source>The connection was too slow to keep up</source>
        <translation>La conexión era demasiado lenta para seguir el ritmo</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="44"/>
        <source>The server heard nothing for too long</source>
        <translation>El servidor no recibió nada durante demasiado tiempo</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="46"/>
        <source>The server refused malformed data</source>
        <translation>El servidor rechazó datos mal formados</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="49"/>
        <source>Connection closed: %1</source>
        <translation>Conexión cerrada: %1</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="51"/>
        <source>Connection lost: %1</source>
        <translation>Conexión perdida: %1</translation>
    </message>
    <message>
        <location filename="../app/net/transport.cpp" line="52"/>
        <source>Connection lost</source>
        <translation>Conexión perdida</translation>
    </message>
</context>
<context>
    <name>Tertulia::DiscoveredHostsModel</name>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="87"/>
        <source>Chat at %1</source>
        <translation>Chat en %1</translation>
    </message>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="94"/>
        <source>%1 at %2, version %3, %4 online</source>
        <extracomment>%1 is the server&apos;s name, %2 its address and port, %3 its version, %4 how many people are online.</extracomment>
        <translation>%1 en %2, versión %3, %4 en línea</translation>
    </message>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="95"/>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="98"/>
        <source>Not encrypted (an older version of Tertulia)</source>
        <translation>Sin cifrar (una versión anterior de Tertulia)</translation>
    </message>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="100"/>
        <source>Two different certificates were announced for it: you will be asked to check the fingerprint</source>
        <translation>Se anunciaron dos certificados distintos para él: se te pedirá que compruebes la huella</translation>
    </message>
    <message>
        <location filename="../app/lan/discoveredhostsmodel.cpp" line="103"/>
        <source>Encrypted; certificate %1…</source>
        <extracomment>%1 is the start of the certificate&apos;s SHA-256 fingerprint, e.g. &quot;AB:CD:EF:01&quot;.</extracomment>
        <translation>Cifrado; certificado %1…</translation>
    </message>
</context>
<context>
    <name>Tertulia::FileError</name>
    <message>
        <location filename="../app/net/fileclient.cpp" line="54"/>
        <source>The file is too large: this server takes files up to %1.</source>
        <translation>El archivo es demasiado grande: este servidor admite archivos de hasta %1.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="56"/>
        <source>The file is too large for this server.</source>
        <translation>El archivo es demasiado grande para este servidor.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="57"/>
        <source>The file is not of the type its name says.</source>
        <translation>El archivo no es del tipo que indica su nombre.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="60"/>
        <source>Too many files at once. Try again in %1 s.</source>
        <translation>Demasiados archivos a la vez. Inténtalo de nuevo dentro de %1 s.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="61"/>
        <source>Too many files at once. Try again in a moment.</source>
        <translation>Demasiados archivos a la vez. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="62"/>
        <source>You may not do that in this room: %1</source>
        <translation>No puedes hacer eso en esta sala: %1</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="63"/>
        <source>The file is not there any more.</source>
        <translation>El archivo ya no está.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="64"/>
        <source>Your sign-in expired. Wait until the app is connected again.</source>
        <translation>Tu sesión ha caducado. Espera a que la aplicación vuelva a conectarse.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="65"/>
        <source>The server refused the file: %1</source>
        <translation>El servidor ha rechazado el archivo: %1</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="66"/>
        <source>The server cannot be reached.</source>
        <translation>No se puede contactar con el servidor.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="67"/>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="68"/>
        <source>The file could not be saved: %1</source>
        <translation>No se ha podido guardar el archivo: %1</translation>
    </message>
    <message>
        <location filename="../app/net/fileclient.cpp" line="71"/>
        <source>The server could not do it: %1</source>
        <translation>El servidor no ha podido hacerlo: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::HostController</name>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="47"/>
        <source>%1&apos;s chat</source>
        <translation>Chat de %1</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="53"/>
        <source>“%1” cannot be your name as the host: use 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.</source>
        <translation>«%1» no puede ser tu nombre como anfitrión: usa de 3 a 32 letras, cifras, puntos, guiones o guiones bajos, empezando por una letra o una cifra.</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="66"/>
        <source>Port %1 is already in use, perhaps by another copy of Tertulia. Choose another port and try again.</source>
        <translation>El puerto %1 ya está en uso, quizá por otra copia de Tertulia. Elige otro puerto y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="71"/>
        <source>This computer does not let Tertulia use port %1. Choose a port above 1024.</source>
        <translation>Este equipo no permite que Tertulia use el puerto %1. Elige un puerto por encima de 1024.</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="75"/>
        <source>The chat could not be started on port %1: %2</source>
        <translation>No se pudo iniciar el chat en el puerto %1: %2</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="88"/>
        <source>The chat&apos;s key cannot be read (%1). Move that file away to make a new certificate; everyone will then be asked to accept the new one.</source>
        <translation>No se puede leer la clave del chat (%1). Mueve ese archivo a otro sitio para crear un certificado nuevo; después se pedirá a todos que acepten el nuevo.</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="90"/>
        <source>The chat&apos;s certificate could not be made: %1</source>
        <translation>No se pudo crear el certificado de la charla: %1</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="121"/>
        <source>The chat could not be started: %1</source>
        <translation>No se pudo iniciar el chat: %1</translation>
    </message>
    <message>
        <location filename="../app/hosting/hostcontroller.cpp" line="143"/>
        <source>The chat started, but signing you in as its host failed: %1</source>
        <translation>El chat se inició, pero no se pudo iniciar tu sesión como anfitrión: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::MemberListModel</name>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="49"/>
        <source>%1 (user name: %2)</source>
        <translation>%1 (nombre de usuario: %2)</translation>
    </message>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="55"/>
        <source>online</source>
        <translation>conectado</translation>
    </message>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="56"/>
        <source>away</source>
        <translation>ausente</translation>
    </message>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="57"/>
        <source>offline</source>
        <translation>desconectado</translation>
    </message>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="64"/>
        <source>owner</source>
        <translation>propietario</translation>
    </message>
    <message>
        <location filename="../app/models/memberlistmodel.cpp" line="65"/>
        <source>moderator</source>
        <translation>moderador</translation>
    </message>
</context>
<context>
    <name>Tertulia::MessageListModel</name>
    <message>
        <location filename="../app/models/messagelistmodel.cpp" line="235"/>
        <source>image %1, %2</source>
        <translation>imagen %1, %2</translation>
    </message>
    <message>
        <location filename="../app/models/messagelistmodel.cpp" line="235"/>
        <source>file %1, %2</source>
        <translation>archivo %1, %2</translation>
    </message>
</context>
<context>
    <name>Tertulia::OutboxSender</name>
    <message>
        <location filename="../app/session/outboxsender.cpp" line="64"/>
        <source>The message is longer than this server allows</source>
        <translation>El mensaje es más largo de lo que permite este servidor</translation>
    </message>
    <message>
        <location filename="../app/session/outboxsender.cpp" line="101"/>
        <source>The message is too large to send</source>
        <translation>El mensaje es demasiado grande para enviarlo</translation>
    </message>
</context>
</TS>
